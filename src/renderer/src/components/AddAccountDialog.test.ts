import { describe, expect, it } from 'vitest';
import { deferred, FakeBridge } from '../../../../test/support/renderer/fake-bridge';
import { snapshot } from '../../../../test/support/renderer/fixtures';
import {
  click,
  getByRole,
  openDisclosure,
  press,
  queryByRole,
  renderApp,
  settle,
  text,
  typeInto,
} from '../../../../test/support/renderer/dom';

const TOKEN = { access_token: 'eyJ.payload.sig', token_type: 'Bearer', expires_in: 3600 };

async function openDialog(fake = new FakeBridge(snapshot())) {
  const view = await renderApp(fake);
  click(getByRole(view.target, 'button', 'Add account'));
  const dialog = getByRole(view.target, 'dialog', 'Add account');
  openDisclosure(dialog, 'Other ways to sign in');
  return { fake, target: view.target, dialog };
}

const tokenField = (dialog: HTMLElement) =>
  getByRole(dialog, 'textbox', 'OAuth token') as HTMLTextAreaElement;
const submit = async (dialog: HTMLElement) => {
  const form = dialog.querySelector('form')!;
  form.requestSubmit(getByRole(dialog, 'button', 'Sign in'));
  await settle();
};

describe('Add account dialog', () => {
  it('leads with Sign in with Pieces, which closes the dialog and runs the Pieces sign-in', async () => {
    const fake = new FakeBridge(snapshot());
    const view = await renderApp(fake);
    click(getByRole(view.target, 'button', 'Add account'));
    const dialog = getByRole(view.target, 'dialog', 'Add account');
    const pieces = getByRole(dialog, 'button', 'Sign in with Pieces');
    expect(document.activeElement).toBe(pieces);
    // The token paste waits under "Other ways to sign in".
    expect(queryByRole(dialog, 'textbox', 'OAuth token')).toBeNull();
    click(pieces);
    await settle();
    expect(queryByRole(view.target, 'dialog')).toBeNull();
    expect(fake.callsTo('signInWithPieces')).toEqual([{}]);
  });

  it('opens as a modal dialog with a labelled OAuth token field and a Sign in button', async () => {
    const { dialog } = await openDialog();
    expect((dialog as HTMLDialogElement).open).toBe(true);
    expect(tokenField(dialog).tagName).toBe('TEXTAREA');
    getByRole(dialog, 'button', 'Sign in');
  });

  it('signs in with a pasted token JSON and closes by itself', async () => {
    const { fake, target, dialog } = await openDialog();
    typeInto(tokenField(dialog), JSON.stringify(TOKEN));
    await submit(dialog);
    // The form as typed: main tidies the token, and its check answered without it.
    expect(fake.callsTo('signIn')).toEqual([{ form: { json: JSON.stringify(TOKEN) } }]);
    expect(queryByRole(target, 'dialog')).toBeNull();
    expect(text(target)).toContain('New Person 4');
  });

  it('shows progress on Sign in while main works', async () => {
    const fake = new FakeBridge(snapshot());
    const answer = deferred<Awaited<ReturnType<typeof fake.bridge.signIn>>>();
    fake.handlers.signIn = () => answer.promise;
    const { dialog } = await openDialog(fake);
    typeInto(tokenField(dialog), JSON.stringify(TOKEN));
    await submit(dialog);
    const button = dialog.querySelector<HTMLButtonElement>('button[type=submit]')!;
    expect(text(button)).toBe('Signing in…');
    expect(button.getAttribute('aria-busy')).toBe('true');
    // A second submit while waiting sends nothing.
    dialog.querySelector('form')!.requestSubmit(button);
    await settle();
    expect(fake.callsTo('signIn')).toHaveLength(1);
    answer.resolve({ ok: false, error: { kind: 'timeout', message: 't' } });
    await settle();
    expect(text(button)).toBe('Sign in');
  });

  it("shows main's checks at the field: garbage JSON and a missing access_token are explained", async () => {
    const { fake, dialog } = await openDialog();
    const before = fake.state.accounts.length;
    const field = tokenField(dialog);
    typeInto(field, '{"access_token": ');
    await submit(dialog);
    // The form went to main once, which refused it: nothing was signed in.
    expect(fake.callsTo('signIn')).toEqual([{ form: { json: '{"access_token": ' } }]);
    expect(fake.state.accounts).toHaveLength(before);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(field);
    const describedBy = field.getAttribute('aria-describedby')!.split(' ');
    const messages = describedBy.map((id) => text(document.getElementById(id)!)).join(' ');
    expect(messages).toContain('This is not valid JSON.');
    expect(queryByRole(dialog, 'alert')).toBeNull();

    typeInto(field, '{"token_type": "Bearer", "expires_in": 3600}');
    expect(field.hasAttribute('aria-invalid')).toBe(false); // typing clears the old message
    await submit(dialog);
    expect(fake.callsTo('signIn')).toHaveLength(2);
    expect(text(dialog)).toContain('The token has no access_token.');
    expect(fake.state.accounts).toHaveLength(before);
  });

  it('sends the pasted token across once per Sign in, and says so when main does not answer', async () => {
    const fake = new FakeBridge(snapshot());
    const { dialog } = await openDialog(fake);
    typeInto(tokenField(dialog), JSON.stringify(TOKEN));
    fake.handlers.signIn = () => Promise.reject(new Error('gone'));
    await submit(dialog);
    const carrying = fake.calls.filter((c) => JSON.stringify(c.args ?? null).includes('eyJ'));
    expect(carrying).toEqual([
      { channel: 'signIn', args: { form: { json: JSON.stringify(TOKEN) } } },
    ]);
    expect(text(getByRole(dialog, 'alert'))).toContain('Could not sign in.');
    expect(tokenField(dialog).value).toBe(JSON.stringify(TOKEN));
  });

  it('shows a refused sign-in as an alert in the dialog and keeps the typed text', async () => {
    const fake = new FakeBridge(snapshot());
    fake.handlers.signIn = () => ({
      ok: false,
      error: { kind: 'http', message: 'Unauthorized', status: 401 },
    });
    const { target, dialog } = await openDialog(fake);
    const typed = JSON.stringify(TOKEN, null, 2);
    typeInto(tokenField(dialog), typed);
    await submit(dialog);
    const alert = getByRole(dialog, 'alert');
    expect(text(alert)).toContain('Pieces OS did not accept the sign-in: it may have expired');
    expect(text(alert)).not.toContain('401');
    expect(getByRole(target, 'dialog', 'Add account')).toBe(dialog);
    expect(tokenField(dialog).value).toBe(typed);
  });

  it('validates each field in "Enter fields" mode, then sends them', async () => {
    const { fake, target, dialog } = await openDialog();
    click(getByRole(dialog, 'radio', 'Enter fields'));
    expect(queryByRole(dialog, 'textbox', 'OAuth token')).toBeNull();
    const access = getByRole(dialog, 'textbox', 'Access token') as HTMLInputElement;
    const expiry = getByRole(dialog, 'textbox', 'Expires in (seconds)') as HTMLInputElement;

    typeInto(expiry, '-60');
    await submit(dialog);
    expect(fake.callsTo('signIn')).toHaveLength(1); // main refused it; nothing was signed in
    expect(access.getAttribute('aria-invalid')).toBe('true');
    expect(text(document.getElementById(access.getAttribute('aria-describedby')!)!)).toBe(
      'Access token is required.',
    );
    expect(text(document.getElementById(expiry.getAttribute('aria-describedby')!)!)).toBe(
      'Expiry cannot be negative.',
    );
    expect(document.activeElement).toBe(access); // the first field to fix

    typeInto(access, 'eyJ.payload.sig');
    expect(access.hasAttribute('aria-invalid')).toBe(false);
    // Only the field typed into drops its message; the others keep theirs until fixed.
    expect(expiry.getAttribute('aria-invalid')).toBe('true');
    typeInto(expiry, '3600');
    await submit(dialog);
    expect(fake.callsTo('signIn').slice(1)).toEqual([
      {
        form: {
          fields: { accessToken: 'eyJ.payload.sig', tokenType: 'Bearer', expiresIn: '3600' },
        },
      },
    ]);
    expect(queryByRole(target, 'dialog')).toBeNull();
  });

  it('closes on Escape and on Cancel without sending anything', async () => {
    const { fake, target, dialog } = await openDialog();
    typeInto(tokenField(dialog), JSON.stringify(TOKEN));
    press(tokenField(dialog), 'Escape');
    await settle();
    expect(queryByRole(target, 'dialog')).toBeNull();

    click(getByRole(target, 'button', 'Add account'));
    const again = getByRole(target, 'dialog', 'Add account');
    openDisclosure(again, 'Other ways to sign in');
    expect(tokenField(again).value).toBe(''); // nothing of the token was kept
    click(getByRole(again, 'button', 'Cancel'));
    await settle();
    expect(queryByRole(target, 'dialog')).toBeNull();
    expect(fake.callsTo('signIn')).toEqual([]);
  });
});
