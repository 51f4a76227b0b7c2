// The real desktop app through Playwright's _electron. Runs where the Electron binary exists;
// elsewhere every test is reported as skipped with the reason.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { startEmulator, type Emulator } from '../../emulator/server';
import { LOOPBACK_ONLY_RESOLVER } from '../chromium';
import { findElectronBinary } from '../electron-binary';

const binary = findElectronBinary();
test.skip(
  'missing' in binary,
  'missing' in binary ? `Electron suite skipped: ${binary.missing}.` : '',
);

let emulator: Emulator;
let app: ElectronApplication;
let window: Page;
let userData: string;

test.beforeEach(async () => {
  if (!('path' in binary)) return;
  emulator = await startEmulator({ users: 0 });
  userData = mkdtempSync(join(tmpdir(), 'pieces-electron-e2e-'));
  app = await _electron.launch({
    executablePath: binary.path,
    // The app's own Chromium resolves loopback only, as the web suite's browser does: the
    // emulator gives some users https avatar URLs on example hosts.
    args: [join(process.cwd(), 'out', 'main', 'index.js'), '--no-sandbox', LOOPBACK_ONLY_RESOLVER],
    env: {
      ...process.env,
      PIECES_OS_URL: emulator.url,
      PIECES_SWITCHER_USER_DATA: userData,
      PIECES_SWITCHER_TEST_HOOKS: '1',
    },
  });
  window = await app.firstWindow();
});

test.afterEach(async () => {
  await app?.close();
  await emulator?.close();
  if (userData) rmSync(userData, { recursive: true, force: true });
});

async function signIn(email: string, name: string): Promise<void> {
  const token = emulator.mintToken({ email, name });
  await window.getByRole('button', { name: 'Add account' }).click();
  const dialog = window.getByRole('dialog', { name: 'Add account' });
  await dialog.getByText('Other ways to sign in').click();
  await dialog.getByLabel('OAuth token').fill(JSON.stringify(token));
  await dialog.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(dialog).toBeHidden();
}

test('launch, sign in two accounts, switch by click and by keyboard', async () => {
  await expect(window.getByRole('status')).toContainText('Connected');
  await signIn('ada@example.com', 'Ada Lovelace');
  await signIn('grace@example.com', 'Grace Hopper');
  const list = window.getByRole('list', { name: 'Accounts' });
  await expect(list.getByRole('listitem').filter({ hasText: 'Grace Hopper' })).toHaveAttribute(
    'aria-current',
    'true',
  );
  await window.getByRole('button', { name: 'Switch to Ada Lovelace' }).click();
  await expect(list.getByRole('listitem').filter({ hasText: 'Ada Lovelace' })).toHaveAttribute(
    'aria-current',
    'true',
  );
  await window.keyboard.press('Control+2');
  await expect(list.getByRole('listitem').filter({ hasText: 'Grace Hopper' })).toHaveAttribute(
    'aria-current',
    'true',
  );
});

test('sign out from the tray menu updates Pieces OS and the window', async () => {
  await signIn('ada@example.com', 'Ada Lovelace');
  // The tray menu item is clicked through the main process: a native menu is outside the page.
  await app.evaluate(async () => {
    const hooks = (globalThis as { __piecesTestHooks?: { clickTrayItem(label: string): void } })
      .__piecesTestHooks;
    hooks!.clickTrayItem('Sign out Ada Lovelace');
  });
  await expect(
    window.getByRole('list', { name: 'Accounts' }).getByText('Ada Lovelace'),
  ).toHaveCount(0);
  expect(emulator.users()).toHaveLength(0);
});
