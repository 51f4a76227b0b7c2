// Sign in with the browser, the whole way: a real OpenID provider on loopback (oauth2-mock-server
// behind an account-picker page), the emulator accepting that provider's id tokens, the web
// preview (the real account service and the app's openid-client flow) started with the provider
// flags, and Chromium. The preview has no system browser: it prints "Open in browser: <url>", and
// a second page in the same browser plays the system browser.
import { test as base, expect, type Page } from '@playwright/test';
import { startEmulator, type Emulator } from '../../emulator/server';
import { startTestProvider, type TestProvider } from '../../test/support/oidc-test-provider';
import { connectionRefused } from '../../test/support/ports';
import { openApp, startPreview, stopPreview, type Preview } from './fixtures';

const callbackPort = (authorizeUrl: string) =>
  Number(new URL(new URL(authorizeUrl).searchParams.get('redirect_uri')!).port);

const test = base.extend<{
  provider: TestProvider;
  emulator: Emulator;
  preview: Preview;
  app: Page;
}>({
  // eslint-disable-next-line no-empty-pattern
  provider: async ({}, use) => {
    const provider = await startTestProvider();
    await use(provider);
    await provider.close();
  },
  emulator: async ({ provider }, use) => {
    const emulator = await startEmulator({
      port: 0,
      users: 0,
      oidc: { issuer: provider.issuer, audience: provider.clientId },
    });
    await use(emulator);
    await emulator.close();
  },
  preview: async ({ emulator, provider }, use) => {
    const { child, preview } = await startPreview(emulator.url, [
      '--oidc-issuer',
      provider.issuer,
      '--oidc-client-id',
      provider.clientId,
    ]);
    try {
      await use(preview);
    } finally {
      await stopPreview(child);
    }
  },
  app: openApp,
});

const accountRow = (page: Page, name: string) =>
  page.getByRole('list', { name: 'Accounts' }).getByRole('listitem').filter({ hasText: name });

async function startBrowserSignIn(app: Page) {
  await app.getByRole('button', { name: 'Add account' }).first().click();
  const dialog = app.getByRole('dialog', { name: 'Add account' });
  await dialog.getByText('Other ways to sign in').click();
  await dialog.getByRole('button', { name: 'Sign in with your provider' }).click();
  await expect(dialog.getByRole('status')).toContainText('Waiting for the browser…');
  return dialog;
}

test('sign in with the browser: provider page, redirect to the app, account added and active', async ({
  app,
  preview,
  provider,
  emulator,
  context,
}) => {
  const dialog = await startBrowserSignIn(app);
  await app.screenshot({ path: test.info().outputPath('waiting-for-browser.png') });
  const authorizeUrl = await preview.nextOpened();
  expect(new URL(authorizeUrl).origin).toBe(provider.issuer);
  const query = new URL(authorizeUrl).searchParams;
  expect(query.get('code_challenge_method')).toBe('S256');
  expect(query.get('prompt')).toBe('select_account');
  expect(await connectionRefused(callbackPort(authorizeUrl))).toBe(false);

  // The "system browser": the provider's account picker, then the loopback callback page.
  const browser = await context.newPage();
  await browser.goto(authorizeUrl);
  await expect(browser.getByRole('heading', { name: 'Sign in to Test Provider' })).toBeVisible();
  await browser.getByRole('button', { name: 'Continue as Grace Hopper' }).click();
  await expect(browser.getByText('You can close this tab')).toBeVisible();
  expect(new URL(browser.url()).pathname).toBe('/callback');
  await browser.screenshot({ path: test.info().outputPath('callback-page.png') });

  await expect(dialog).toBeHidden();
  await expect(accountRow(app, 'Grace Hopper')).toHaveAttribute('aria-current', 'true');
  await expect(accountRow(app, 'Grace Hopper')).toContainText('grace@example.com');
  // The emulator's side is polled, not read once: it need not have settled when the window did.
  const graceId = () =>
    (emulator.users() as { id: string; email?: string }[]).find(
      (u) => u.email === 'grace@example.com',
    )?.id;
  await expect.poll(graceId).toBeDefined();
  await expect.poll(() => emulator.currentUserId()).toBe(graceId());
  // PKCE went the whole way: the verifier reached the provider and matched the challenge.
  const exchange = provider.tokenRequests.find((t) => t.grant_type === 'authorization_code');
  expect(exchange?.verifier_challenge).toBe(query.get('code_challenge'));
  expect(await connectionRefused(callbackPort(authorizeUrl))).toBe(true);
  await app.screenshot({ path: test.info().outputPath('signed-in.png'), fullPage: true });
});

test('cancel in the app ends the sign-in: nothing added, loopback port closed', async ({
  app,
  preview,
  emulator,
  context,
}) => {
  const dialog = await startBrowserSignIn(app);
  const authorizeUrl = await preview.nextOpened();
  const port = callbackPort(authorizeUrl);
  expect(await connectionRefused(port)).toBe(false);

  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog.getByText('The sign-in in the browser was cancelled.')).toBeVisible();
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: 'Sign in with your provider' })).toBeVisible();
  expect(await connectionRefused(port)).toBe(true);

  // Finishing at the provider afterwards reaches nothing: the app no longer listens.
  const browser = await context.newPage();
  await browser.goto(authorizeUrl);
  await browser.getByRole('button', { name: 'Continue as Ada Lovelace' }).click();
  await browser.waitForLoadState();
  await expect(browser.getByText('You can close this tab')).toHaveCount(0);
  expect(emulator.users()).toEqual([]);
  await expect(app.getByRole('list', { name: 'Accounts' })).toHaveCount(0);
});

test('a denied consent: a clear message in the dialog and on the callback page', async ({
  app,
  preview,
  context,
}) => {
  const dialog = await startBrowserSignIn(app);
  const authorizeUrl = await preview.nextOpened();
  const browser = await context.newPage();
  await browser.goto(authorizeUrl);
  await browser.getByRole('button', { name: 'Deny' }).click();
  await expect(browser.getByText('You can close this tab')).toBeVisible();
  await expect(browser.getByText('declined')).toBeVisible();
  await expect(dialog.getByRole('alert')).toContainText('The sign-in was declined at the provider');
  expect(await connectionRefused(callbackPort(authorizeUrl))).toBe(true);
});
