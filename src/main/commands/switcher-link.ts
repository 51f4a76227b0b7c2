// Which `pieces-switcher:` links the app accepts. A link can come from any web page, so only the
// documented forms pass, exactly; everything else is refused with a reason for the log:
//   pieces-switcher://switch?email=<email>   switch to the account with that email (after asking)
//   pieces-switcher://switch?id=<account id>  the same by id
//   pieces-switcher://open                     show the window
// (A trailing "/" after the action is accepted: some systems add one.)

export const LINK_SCHEME = 'pieces-switcher';

export type SwitcherLink =
  { action: 'open' } | { action: 'switch'; email: string } | { action: 'switch'; id: string };

export type LinkVerdict = { ok: true; link: SwitcherLink } | { ok: false; reason: string };

/** Longer than any valid link (an email is at most 254 characters). */
export const MAX_LINK_LENGTH = 512;
// eslint-disable-next-line no-control-regex
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f-\u009f\u00a0\u2028\u2029\\]/;
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
// Links come from web pages, so an id in one is held to the plain shape Pieces OS ids have (UUIDs,
// "github|123"), stricter than the ids the app can list and save: no "/", no leading "." or "_".
// An account with an odder id can still be linked by its email.
const LINK_ID = /^[A-Za-z0-9][\w.:|@-]{0,127}$/;

const no = (reason: string): LinkVerdict => ({ ok: false, reason });

export function parseSwitcherLink(raw: unknown): LinkVerdict {
  if (typeof raw !== 'string') return no('not text');
  if (raw.length > MAX_LINK_LENGTH) return no('too long');
  if (CONTROL_OR_SPACE.test(raw)) return no('contains spaces, control characters or backslashes');
  const prefix = `${LINK_SCHEME}://`;
  if (raw.slice(0, prefix.length).toLowerCase() !== prefix) return no(`not a ${prefix} link`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return no('not a URL');
  }
  const authority = raw.slice(prefix.length).split(/[/?#]/, 1)[0] ?? '';
  if (authority.includes('@') || url.username !== '' || url.password !== '')
    return no('carries a user name or password');
  if (url.port !== '') return no('carries a port');
  if (raw.includes('#')) return no('carries a fragment');
  if (url.pathname !== '' && url.pathname !== '/') return no('has a path');
  const params = [...new URLSearchParams(url.search)];

  if (url.hostname === 'open') {
    return !raw.includes('?')
      ? { ok: true, link: { action: 'open' } }
      : no('open takes no parameters');
  }
  if (url.hostname !== 'switch') return no('not a documented action');
  if (params.length !== 1) return no('switch takes exactly one parameter, email or id');
  const [name, value] = params[0]!;
  // Decoding may have produced what the raw link could not carry (%0A, %00, %20…).
  if (CONTROL_OR_SPACE.test(value)) return no('the value contains spaces or control characters');
  if (name === 'email') {
    if (value.length > 254 || !EMAIL.test(value)) return no('the email is not an email address');
    return { ok: true, link: { action: 'switch', email: value } };
  }
  if (name === 'id') {
    if (!LINK_ID.test(value)) return no('the id is not an account id');
    return { ok: true, link: { action: 'switch', id: value } };
  }
  return no('switch takes exactly one parameter, email or id');
}

/** The links among a second instance's (or a first launch's) arguments. */
export function linksIn(argv: readonly string[]): string[] {
  return argv.filter((arg) => arg.toLowerCase().startsWith(`${LINK_SCHEME}:`));
}

/** A refused link as the log may show it: short, and with every odd character escaped. */
export function linkForLog(raw: unknown): string {
  const text = typeof raw === 'string' ? raw : String(raw);
  return JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}…` : text);
}
