// The page Pieces OS would open in the system browser for `POST /os/sign_in`: pick a known
// account or type a new identity, or cancel. Plain HTML forms (no script), so a person can use it
// in the web preview and a browser test can drive it by role and name.

export interface KnownUser {
  id: string;
  email?: string;
  name?: string;
}

const PAGE_STYLE =
  'body{font:16px system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}' +
  'ul{list-style:none;padding:0}li{margin:.5rem 0}label{display:block;margin:.5rem 0}' +
  'button{font:inherit;padding:.3rem .8rem}';

const escape = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export const COMPLETE_PATH = '/__emulator/sign_in/complete';
export const CANCEL_PATH = '/__emulator/sign_in/cancel';

/** What a user's button says: the name and the email, so two people of one name differ. */
export function signInLabel(user: KnownUser): string {
  if (user.name && user.email) return `Sign in as ${user.name} (${user.email})`;
  return `Sign in as ${user.name ?? user.email ?? user.id}`;
}

export function signInPage(users: KnownUser[], pending: number): string {
  const status =
    pending > 0
      ? 'Pieces OS is waiting for you to sign in.'
      : 'No sign-in is waiting. Start one ("Sign in with Pieces"), then reload this page.';
  const items = users
    .map(
      (user) =>
        `<li><form method="post" action="${COMPLETE_PATH}">` +
        `<input type="hidden" name="id" value="${escape(user.id)}">` +
        `<button type="submit">${escape(signInLabel(user))}</button></form></li>`,
    )
    .join('');
  return document(
    'Sign in to Pieces',
    `<p role="status">${status}</p>` +
      `<h2>Choose an account</h2><ul>${items || '<li>No accounts yet.</li>'}</ul>` +
      `<h2>Or use another account</h2><form method="post" action="${COMPLETE_PATH}">` +
      '<label>Email <input name="email" type="email" required autocomplete="off"></label>' +
      '<label>Name <input name="name" autocomplete="off"></label>' +
      '<button type="submit">Sign in with this account</button></form>' +
      `<form method="post" action="${CANCEL_PATH}"><p><button type="submit">Cancel</button></p></form>`,
  );
}

/** The page after a form was sent: what happened, in words. */
export function resultPage(title: string, message: string): string {
  return document(title, `<p role="status">${escape(message)}</p>`);
}

function document(title: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>` +
    `<style>${PAGE_STYLE}</style></head><body><main><h1>${escape(title)}</h1>${body}</main>` +
    '</body></html>'
  );
}
