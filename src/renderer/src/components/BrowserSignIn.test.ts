// "Sign in with browser" in the Add account dialog, the "Sign in again" mark on a row, and the
// provider fields in Settings.
import { describe, expect, it } from 'vitest';
import type { OAuthProviderSettings, PublicSettings } from '../../../shared/domain';
import { draftFrom, settingsPatch } from '../../../shared/settings-form';
import { DEFAULT_PUBLIC_SETTINGS } from '../../../shared/domain';
import { deferred, FakeBridge } from '../../../../test/support/renderer/fake-bridge';
import { alice, bob, snapshot } from '../../../../test/support/renderer/fixtures';
import {
  chooseMenuItem,
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

const PROVIDER: OAuthProviderSettings = {
  issuer: 'https://login.example.com',
  clientId: 'switcher',
  scopes: ['openid', 'email', 'profile', 'offline_access'],
};

async function openDialog(fake: FakeBridge) {
  const view = await renderApp(fake);
  click(getByRole(view.target, 'button', 'Add account'));
  const dialog = getByRole(view.target, 'dialog', 'Add account');
  openDisclosure(dialog, 'Other ways to sign in');
  return { target: view.target, dialog };
}

type BrowserResult = Awaited<ReturnType<FakeBridge['bridge']['signInWithBrowser']>>;

describe('Add account: sign in with the browser', () => {
  it('without a provider offers token sign-in only and says how to set one up', async () => {
    const { dialog } = await openDialog(new FakeBridge(snapshot()));
    expect(queryByRole(dialog, 'button', 'Sign in with your provider')).toBeNull();
    expect(text(dialog)).toContain('add it under Settings › Advanced');
    getByRole(dialog, 'textbox', 'OAuth token');
  });

  it('shows progress while the browser is open, then closes with the new account selected', async () => {
    const fake = new FakeBridge(snapshot(), { oauthProvider: PROVIDER });
    const answer = deferred<BrowserResult>();
    fake.handlers.signInWithBrowser = () => answer.promise;
    const { target, dialog } = await openDialog(fake);
    click(getByRole(dialog, 'button', 'Sign in with your provider'));
    await settle();
    expect(fake.callsTo('signInWithBrowser')).toEqual([undefined]);
    expect(text(getByRole(dialog, 'status'))).toContain('Waiting for the browser…');
    // Nothing to paste meanwhile: one sign-in at a time.
    expect(queryByRole(dialog, 'textbox', 'OAuth token')).toBeNull();

    const account = {
      id: 'u-new',
      displayName: 'Nova Example',
      connected: true,
      hasToken: true,
      state: 'active' as const,
    };
    fake.push({ accounts: [...fake.state.accounts, account], activeId: account.id });
    answer.resolve({ ok: true, value: account });
    await settle();
    expect(queryByRole(target, 'dialog')).toBeNull();
    expect(getByRole(target, 'region', 'Account details').textContent).toContain('Nova Example');
  });

  it('Cancel calls cancelBrowserSignIn and returns to the choices without an error', async () => {
    const fake = new FakeBridge(snapshot(), { oauthProvider: PROVIDER });
    const answer = deferred<BrowserResult>();
    fake.handlers.signInWithBrowser = () => answer.promise;
    fake.handlers.cancelBrowserSignIn = () => {
      answer.resolve({
        ok: false,
        error: { kind: 'cancelled', message: 'The sign-in was cancelled.' },
      });
      return { ok: true, value: null };
    };
    const { dialog } = await openDialog(fake);
    click(getByRole(dialog, 'button', 'Sign in with your provider'));
    await settle();
    click(getByRole(dialog, 'button', 'Cancel'));
    await settle();
    expect(fake.callsTo('cancelBrowserSignIn')).toEqual([undefined]);
    expect(queryByRole(dialog, 'alert')).toBeNull();
    expect(text(dialog)).toContain('The sign-in in the browser was cancelled.');
    getByRole(dialog, 'button', 'Sign in with your provider');
  });

  it('Escape while waiting cancels the browser sign-in', async () => {
    const fake = new FakeBridge(snapshot(), { oauthProvider: PROVIDER });
    const answer = deferred<BrowserResult>();
    fake.handlers.signInWithBrowser = () => answer.promise;
    const { dialog } = await openDialog(fake);
    click(getByRole(dialog, 'button', 'Sign in with your provider'));
    await settle();
    press(dialog, 'Escape');
    await settle();
    expect(fake.callsTo('cancelBrowserSignIn')).toHaveLength(1);
    answer.resolve({ ok: false, error: { kind: 'cancelled', message: 'x' } });
    await settle();
  });

  it('shows why it did not finish as an alert in the dialog', async () => {
    const fake = new FakeBridge(snapshot(), { oauthProvider: PROVIDER });
    fake.handlers.signInWithBrowser = () => ({
      ok: false,
      error: {
        kind: 'auth',
        message: 'The sign-in timed out: nothing came back from the browser within 5 minutes',
      },
    });
    const { target, dialog } = await openDialog(fake);
    click(getByRole(dialog, 'button', 'Sign in with your provider'));
    await settle();
    expect(text(getByRole(dialog, 'alert'))).toBe(
      'Could not sign in. The sign-in timed out: nothing came back from the browser within 5 minutes.',
    );
    expect(getByRole(target, 'dialog', 'Add account')).toBe(dialog);
  });

  it('is not offered while Pieces OS is unreachable', async () => {
    const fake = new FakeBridge(snapshot(), { oauthProvider: PROVIDER });
    const { dialog } = await openDialog(fake);
    fake.push({
      connection: {
        status: 'offline',
        tried: [],
        error: { kind: 'unreachable', message: 'x' },
        nextRetryAt: 0,
      },
    });
    await settle();
    expect(getByRole(dialog, 'button', 'Sign in with your provider').hasAttribute('disabled')).toBe(
      true,
    );
  });
});

describe('an account whose sign-in could not be renewed', () => {
  it('says "Sign-in needed" on its row (the state main decided)', async () => {
    const fake = new FakeBridge(
      snapshot({
        accounts: [alice, { ...bob, needsSignIn: true, state: 'sign-in-needed' }],
      }),
    );
    const view = await renderApp(fake);
    const rows = getByRole(view.target, 'list', 'Accounts').querySelectorAll('li');
    const bobRow = [...rows].find((r) => r.textContent?.includes(bob.displayName))!;
    const aliceRow = [...rows].find((r) => r.textContent?.includes(alice.displayName))!;
    expect(text(bobRow)).toContain('Sign-in needed');
    expect(text(aliceRow)).not.toContain('Sign-in needed');
  });
});

describe('Settings: the sign-in provider', () => {
  const current: PublicSettings = { ...DEFAULT_PUBLIC_SETTINGS };

  it('sets a provider from the three fields, with the default scopes when left empty', () => {
    const draft = {
      ...draftFrom(current),
      providerIssuer: ' https://login.example.com ',
      providerClientId: 'switcher',
    };
    expect(settingsPatch(draft, current)).toEqual({ ok: true, patch: { oauthProvider: PROVIDER } });
  });

  it('clears it when all three are emptied; no change is no patch', () => {
    const withProvider = { ...current, oauthProvider: PROVIDER };
    expect(settingsPatch(draftFrom(withProvider), withProvider)).toEqual({ ok: true, patch: {} });
    const emptied = {
      ...draftFrom(withProvider),
      providerIssuer: '',
      providerClientId: '',
      providerScopes: '',
    };
    expect(settingsPatch(emptied, withProvider)).toEqual({
      ok: true,
      patch: { oauthProvider: null },
    });
  });

  it('explains a bad issuer, a missing client id and scopes without openid', () => {
    const result = settingsPatch(
      {
        ...draftFrom(current),
        providerIssuer: 'http://login.example.com',
        providerScopes: 'email profile',
      },
      current,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(Object.keys(result.errors).sort()).toEqual([
        'providerClientId',
        'providerIssuer',
        'providerScopes',
      ]);
    }
  });

  it('saves the provider through the Settings dialog', async () => {
    const fake = new FakeBridge(snapshot());
    const view = await renderApp(fake);
    chooseMenuItem(view.target, 'More', 'Settings…');
    const dialog = getByRole(view.target, 'dialog', 'Settings');
    openDisclosure(dialog, 'Advanced');
    typeInto(getByRole(dialog, 'textbox', 'Issuer URL') as HTMLInputElement, PROVIDER.issuer);
    typeInto(getByRole(dialog, 'textbox', 'Client id') as HTMLInputElement, PROVIDER.clientId);
    dialog.querySelector('form')!.requestSubmit(getByRole(dialog, 'button', 'Save'));
    await settle();
    expect(fake.callsTo('updateSettings')).toEqual([{ oauthProvider: PROVIDER }]);
    // The Add account dialog now offers the browser.
    click(getByRole(view.target, 'button', 'Add account'));
    const addDialog = getByRole(view.target, 'dialog', 'Add account');
    openDisclosure(addDialog, 'Other ways to sign in');
    getByRole(addDialog, 'button', 'Sign in with your provider');
  });
});
