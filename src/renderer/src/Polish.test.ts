// What a keyboard or screen-reader user runs into between the big features: where focus goes when
// things disappear, what the keys act on, what is unavailable while something runs, and errors
// that outlive their cause.
import { describe, expect, it } from 'vitest';
import type { AppError, OAuthProviderSettings } from '../../shared/domain';
import { deferred, FakeBridge } from '../../../test/support/renderer/fake-bridge';
import { alice, bob, chloe, manyAccounts, snapshot } from '../../../test/support/renderer/fixtures';
import {
  click,
  getByRole,
  press,
  queryAllByRole,
  queryByRole,
  renderApp,
  settle,
  text,
  typeInto,
  accountItem as itemOf,
  accountList as list,
  rowMain,
} from '../../../test/support/renderer/dom';

const needsSignIn: AppError = {
  kind: 'needs-sign-in',
  message: 'Pieces OS no longer accepts the saved sign-in for Bob Builder. Sign in again.',
};

type SwitchResult = Awaited<ReturnType<FakeBridge['bridge']['switchTo']>>;
type SignOutAllResult = Awaited<ReturnType<FakeBridge['bridge']['signOutAll']>>;
type BrowserResult = Awaited<ReturnType<FakeBridge['bridge']['signInWithBrowser']>>;

describe('focus', () => {
  it('after signing out the focused row, lands on the account selected next, not the page', async () => {
    const { target } = await renderApp(new FakeBridge(snapshot()));
    const signOut = getByRole(target, 'button', `Sign out ${bob.displayName}`);
    signOut.focus();
    click(signOut);
    click(getByRole(target, 'button', 'Sign out')); // in the confirmation
    signOut.focus(); // where the closing dialog puts it back
    await settle();
    expect(queryByRole(target, 'button', `Sign out ${bob.displayName}`)).toBeNull();
    expect(document.activeElement).toBe(rowMain(itemOf(target, alice.displayName)));
  });

  it('after signing out of the last account, lands on Add account in the empty window', async () => {
    const fake = new FakeBridge(snapshot({ accounts: [alice], activeId: alice.id }));
    const { target } = await renderApp(fake);
    const signOut = getByRole(target, 'button', `Sign out ${alice.displayName}`);
    click(signOut);
    click(getByRole(target, 'button', 'Sign out'));
    signOut.focus();
    await settle();
    expect(text(target)).toContain('No accounts yet');
    expect(document.activeElement).toBe(getByRole(target, 'button', 'Add account'));
  });

  it('moves from "Sign in with browser" to Cancel while waiting, and back after a cancel', async () => {
    const provider: OAuthProviderSettings = {
      issuer: 'https://login.example.com',
      clientId: 'switcher',
      scopes: ['openid'],
    };
    const fake = new FakeBridge(snapshot(), { oauthProvider: provider });
    const answer = deferred<BrowserResult>();
    fake.handlers.signInWithBrowser = () => answer.promise;
    const { target } = await renderApp(fake);
    click(getByRole(target, 'button', 'Add account'));
    const dialog = getByRole(target, 'dialog', 'Add account');
    const browserButton = getByRole(dialog, 'button', 'Sign in with browser');
    browserButton.focus();
    click(browserButton);
    await settle();
    expect(document.activeElement).toBe(getByRole(dialog, 'button', 'Cancel'));
    answer.resolve({ ok: false, error: { kind: 'cancelled', message: 'Cancelled.' } });
    await settle();
    expect(document.activeElement).toBe(getByRole(dialog, 'button', 'Sign in with browser'));
  });

  it('after a refused Settings save, is on the first field to fix', async () => {
    const { target } = await renderApp(new FakeBridge(snapshot()));
    click(getByRole(target, 'button', 'Settings'));
    const dialog = getByRole(target, 'dialog', 'Settings');
    const address = getByRole(dialog, 'textbox', 'Pieces OS address') as HTMLInputElement;
    typeInto(address, 'file:///etc/passwd');
    getByRole(dialog, 'button', 'Save').focus();
    dialog.querySelector('form')!.requestSubmit(getByRole(dialog, 'button', 'Save'));
    await settle();
    expect(address.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(address);
  });
});

describe('keys act on what the list shows', () => {
  it('Enter does not switch to a selected account the search has hidden', async () => {
    const accounts = [alice, bob, chloe, ...manyAccounts(5)];
    const fake = new FakeBridge(snapshot({ accounts, activeId: alice.id }));
    const { target, app } = await renderApp(fake);
    app.select(bob.id);
    typeInto(getByRole(target, 'searchbox', 'Search accounts') as HTMLInputElement, 'Person');
    press(list(target), 'Enter');
    await settle();
    expect(fake.callsTo('switchTo')).toEqual([]);
    // Once the search shows it again, Enter switches to it.
    typeInto(getByRole(target, 'searchbox', 'Search accounts') as HTMLInputElement, '');
    press(list(target), 'Enter');
    await settle();
    expect(fake.callsTo('switchTo')).toEqual([{ id: bob.id }]);
  });

  it('Ctrl+1 on a list scrolled to the end brings the first row into view', async () => {
    const accounts = manyAccounts(2000);
    const fake = new FakeBridge(snapshot({ accounts, activeId: accounts[1]!.id }));
    const { target } = await renderApp(fake);
    press(list(target), 'End');
    expect(list(target).scrollTop).toBeGreaterThan(1000 * 64);
    press(window, '1', { ctrlKey: true });
    await settle();
    expect(fake.callsTo('switchTo')).toEqual([{ id: accounts[0]!.id }]);
    expect(list(target).scrollTop).toBe(0);
    expect(itemOf(target, 'Person 00001').getAttribute('aria-current')).toBe('true');
  });

  it('a query left in a search box that went away does not filter the list when it returns', async () => {
    const accounts = manyAccounts(8);
    const fake = new FakeBridge(snapshot({ accounts, activeId: accounts[0]!.id }));
    const { target } = await renderApp(fake);
    typeInto(getByRole(target, 'searchbox', 'Search accounts') as HTMLInputElement, '00007');
    fake.push({ accounts: accounts.slice(0, 4) });
    await settle();
    expect(queryByRole(target, 'searchbox', 'Search accounts')).toBeNull();
    fake.push({ accounts });
    await settle();
    expect(queryAllByRole(list(target), 'listitem')).toHaveLength(8);
    expect((getByRole(target, 'searchbox', 'Search accounts') as HTMLInputElement).value).toBe('');
  });
});

describe('while an action runs', () => {
  it("other rows' actions and the toolbar are unavailable, and clicking them sends nothing", async () => {
    const fake = new FakeBridge(snapshot());
    const answer = deferred<SwitchResult>();
    fake.handlers.switchTo = () => answer.promise;
    const { target } = await renderApp(fake);
    click(getByRole(target, 'button', `Switch to ${bob.displayName}`));
    for (const name of [
      `Switch to ${chloe.displayName}`,
      `Sign out ${chloe.displayName}`,
      `Sign out ${alice.displayName}`,
      'Add account',
      'Sign out of all accounts',
    ]) {
      const button = getByRole(target, 'button', name);
      expect(button.getAttribute('aria-disabled'), name).toBe('true');
      click(button);
    }
    expect(fake.callsTo('switchTo')).toEqual([{ id: bob.id }]);
    expect(queryByRole(target, 'dialog')).toBeNull();
    expect(queryByRole(target, 'alertdialog')).toBeNull();

    fake.push({ activeId: bob.id });
    answer.resolve({ ok: true, value: fake.state });
    await settle();
    expect(
      getByRole(target, 'button', `Switch to ${chloe.displayName}`).hasAttribute('aria-disabled'),
    ).toBe(false);
  });

  it('a sign-out confirmed while a tray action runs says to wait, on its row', async () => {
    const fake = new FakeBridge(snapshot());
    const { target } = await renderApp(fake);
    click(getByRole(target, 'button', `Sign out ${bob.displayName}`));
    fake.push({ operation: { kind: 'switch', accountId: chloe.id } }); // from the tray
    await settle();
    click(getByRole(getByRole(target, 'alertdialog'), 'button', 'Sign out'));
    await settle();
    expect(fake.callsTo('signOut')).toEqual([]);
    expect(text(getByRole(itemOf(target, bob.displayName), 'alert'))).toContain(
      'Another action is still running',
    );
  });

  it('a switch or sign-out-all started from the tray shows progress here too', async () => {
    const fake = new FakeBridge(snapshot());
    const { target } = await renderApp(fake);
    fake.push({ operation: { kind: 'sign-out-all' } });
    await settle();
    expect(text(target)).toContain('Signing out of all accounts…');
    expect(
      getByRole(target, 'button', `Switch to ${bob.displayName}`).getAttribute('aria-disabled'),
    ).toBe('true');
    fake.push({ operation: null, accounts: [], activeId: null });
    await settle();
    expect(text(target)).not.toContain('Signing out of all accounts…');
  });

  it('announces the end of sign-out-all in the polite live region', async () => {
    const fake = new FakeBridge(snapshot());
    const answer = deferred<SignOutAllResult>();
    fake.handlers.signOutAll = () => answer.promise;
    const { target, app } = await renderApp(fake);
    click(getByRole(target, 'button', 'Sign out of all accounts'));
    expect(text(getByRole(target, 'alertdialog'))).toContain('All 3 accounts will be disconnected');
    click(getByRole(target, 'button', 'Sign out'));
    expect(app.announcement).toBe('Signing out of all accounts…');
    fake.push({ accounts: [], activeId: null });
    answer.resolve({ ok: true, value: { signedOut: [alice.id, bob.id, chloe.id], failed: [] } });
    await settle();
    expect(app.announcement).toBe('Signed out of 3 accounts.');
    const live = target.querySelector('[aria-live="polite"].visually-hidden');
    expect(live?.textContent).toBe('Signed out of 3 accounts.');
  });

  it('says "your one account" when there is only one', async () => {
    const { target } = await renderApp(
      new FakeBridge(snapshot({ accounts: [alice], activeId: alice.id })),
    );
    click(getByRole(target, 'button', 'Sign out of all accounts'));
    expect(text(getByRole(target, 'alertdialog'))).toContain(
      'Your one account will be disconnected',
    );
  });
});

describe('accounts Pieces OS does not list', () => {
  it('are marked as such, and still offer Switch (which signs them in again)', async () => {
    const gone = { ...chloe, connected: false };
    const { target } = await renderApp(new FakeBridge(snapshot({ accounts: [alice, bob, gone] })));
    expect(text(itemOf(target, chloe.displayName))).toContain('Not in Pieces OS');
    expect(text(itemOf(target, bob.displayName))).not.toContain('Not in Pieces OS');
    getByRole(target, 'button', `Switch to ${chloe.displayName}`);
  });
});

describe('snapshots arriving out of order', () => {
  it("an action's answer older than a snapshot already pushed does not undo it", async () => {
    const fake = new FakeBridge(snapshot());
    const answer = deferred<SwitchResult>();
    fake.handlers.switchTo = () => answer.promise;
    const { target } = await renderApp(fake);
    click(getByRole(target, 'button', `Switch to ${bob.displayName}`));
    fake.push({ activeId: bob.id });
    const answered = fake.state; // the snapshot the switch ended with
    fake.push({ accounts: [alice, bob], activeId: bob.id }); // then a refresh: Chloé is gone
    await settle();
    answer.resolve({ ok: true, value: answered });
    await settle();
    expect(queryAllByRole(list(target), 'listitem')).toHaveLength(2);
    expect(itemOf(target, bob.displayName).getAttribute('aria-current')).toBe('true');
  });
});

describe('errors that outlive their cause, and actions that would lose work', () => {
  it('a "sign in again" error leaves the row once that account signs in again', async () => {
    const fake = new FakeBridge(snapshot());
    fake.handlers.switchTo = () => ({ ok: false, error: needsSignIn });
    fake.handlers.signIn = () => ({ ok: true, value: bob });
    const { target } = await renderApp(fake);
    click(getByRole(target, 'button', `Switch to ${bob.displayName}`));
    await settle();
    const row = itemOf(target, bob.displayName);
    expect(text(getByRole(row, 'alert'))).toContain('Sign in to this account again.');
    // The message is in the details too, where it is not cut to one line.
    expect(text(getByRole(target, 'region', 'Account details'))).toContain(
      'Sign in to this account again.',
    );

    click(getByRole(row, 'button', 'Sign in…'));
    const dialog = getByRole(target, 'dialog', 'Add account');
    typeInto(
      getByRole(dialog, 'textbox', 'OAuth token') as HTMLTextAreaElement,
      '{"access_token":"a-new-token","token_type":"Bearer","expires_in":3600}',
    );
    dialog.querySelector('form')!.requestSubmit(getByRole(dialog, 'button', 'Sign in'));
    await settle();
    expect(queryByRole(target, 'dialog')).toBeNull();
    expect(queryByRole(itemOf(target, bob.displayName), 'alert')).toBeNull();
  });

  it('Add account from the tray waits for an open Settings dialog instead of discarding it', async () => {
    const fake = new FakeBridge(snapshot());
    const { target } = await renderApp(fake);
    click(getByRole(target, 'button', 'Settings'));
    const settings = getByRole(target, 'dialog', 'Settings');
    const address = getByRole(settings, 'textbox', 'Pieces OS address') as HTMLInputElement;
    typeInto(address, 'http://127.0.0.1:39311');
    fake.command('add-account');
    await settle();
    expect(getByRole(target, 'dialog', 'Settings')).toBe(settings);
    expect(address.value).toBe('http://127.0.0.1:39311');
    click(getByRole(settings, 'button', 'Cancel'));
    await settle();
    getByRole(target, 'dialog', 'Add account');
  });

  it('settings that could not be read at start are read again when Settings is clicked', async () => {
    const fake = new FakeBridge(snapshot());
    let failures = 2;
    const real = fake.bridge.getSettings;
    fake.bridge.getSettings = () =>
      failures-- > 0
        ? Promise.resolve({ ok: false, error: { kind: 'internal', message: 'Disk trouble.' } })
        : real();
    const { target } = await renderApp(fake);
    const settingsButton = getByRole(target, 'button', 'Settings') as HTMLButtonElement;
    expect(settingsButton.disabled).toBe(false);
    click(settingsButton);
    await settle();
    expect(text(getByRole(target, 'alert'))).toContain(
      'Could not open the settings. Something went wrong inside the app.',
    );
    expect(queryByRole(target, 'dialog', 'Settings')).toBeNull();
    click(settingsButton);
    await settle();
    getByRole(target, 'dialog', 'Settings');
    expect(queryByRole(target, 'alert')).toBeNull();
  });
});
