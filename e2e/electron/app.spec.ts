// The real desktop app through Playwright's _electron. Runs where the Electron binary exists;
// elsewhere every test is reported as skipped with the reason.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { startEmulator, type Emulator } from '../../emulator/server';
import { displayNameOf } from '../../src/main/pieces/mapping';
import { LOOPBACK_ONLY_RESOLVER } from '../chromium';
import { findElectronBinary } from '../electron-binary';

const binary = findElectronBinary();
test.skip(
  'missing' in binary,
  'missing' in binary ? `Electron suite skipped: ${binary.missing}.` : '',
);

const SEEDED = 2;
let emulator: Emulator;
let app: ElectronApplication;
let window: Page;
let userData: string;

test.beforeEach(async () => {
  if (!('path' in binary)) return;
  // Two users Pieces OS already knows (no sign-in kept by the app), seeded the same every run.
  emulator = await startEmulator({ users: SEEDED, seed: 21 });
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

const accounts = () => window.getByRole('list', { name: 'Accounts' });
const row = (name: string) => accounts().getByRole('listitem').filter({ hasText: name });
const emulatorUser = (email: string) =>
  (emulator.users() as { id: string; email?: string }[]).find((u) => u.email === email);

test('launch: the window shows the accounts Pieces OS knows', async () => {
  await expect(window.getByRole('status').first()).toContainText('Connected');
  const seeded = emulator.users() as Parameters<typeof displayNameOf>[0][];
  expect(seeded).toHaveLength(SEEDED);
  await expect(accounts().getByRole('listitem')).toHaveCount(SEEDED);
  for (const user of seeded) await expect(row(displayNameOf(user))).toBeVisible();
  await window.screenshot({ path: test.info().outputPath('electron-main-window.png') });
});

test('switch from the window, by click and by keyboard', async () => {
  await signIn('ada@example.com', 'Ada Lovelace');
  await signIn('grace@example.com', 'Grace Hopper');
  await expect(accounts().getByRole('listitem')).toHaveCount(SEEDED + 2);
  await expect(row('Grace Hopper')).toHaveAttribute('aria-current', 'true');

  await window.getByRole('button', { name: 'Switch to Ada Lovelace' }).click();
  await expect(row('Ada Lovelace')).toHaveAttribute('aria-current', 'true');
  await expect(row('Grace Hopper')).not.toHaveAttribute('aria-current', 'true');
  // Pieces OS itself switched, not only the window.
  expect(emulator.currentUserId()).toBe(emulatorUser('ada@example.com')!.id);

  const names = await accounts().getByRole('listitem').allTextContents();
  const graceIndex = names.findIndex((t) => t.includes('Grace Hopper'));
  await window.keyboard.press(`ControlOrMeta+${graceIndex + 1}`);
  await expect(row('Grace Hopper')).toHaveAttribute('aria-current', 'true');
  expect(emulator.currentUserId()).toBe(emulatorUser('grace@example.com')!.id);
});

test('sign out from the tray menu updates Pieces OS and the window', async () => {
  await signIn('ada@example.com', 'Ada Lovelace');
  await expect(row('Ada Lovelace')).toHaveAttribute('aria-current', 'true');
  // The tray menu item is clicked through the main process: a native menu is outside the page.
  await app.evaluate(async () => {
    const hooks = (globalThis as { __piecesTestHooks?: { clickTrayItem(label: string): void } })
      .__piecesTestHooks;
    hooks!.clickTrayItem('Sign out Ada Lovelace');
  });
  await expect(accounts().getByText('Ada Lovelace')).toHaveCount(0);
  expect(emulatorUser('ada@example.com')).toBeUndefined();
  // The accounts Pieces OS still knows stay listed.
  await expect(accounts().getByRole('listitem')).toHaveCount(SEEDED);
});
