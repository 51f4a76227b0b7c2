// The whole app in Chromium: the built renderer, the real account service and IPC handlers (in the
// web preview's Node process) and the Pieces OS emulator, all on loopback.
import type { Page } from '@playwright/test';
import { accountRow, expect, PEOPLE, test } from './fixtures';

const shot = (name: string) => ({ path: test.info().outputPath(`${name}.png`), fullPage: true });
const accountsList = (app: Page) => app.getByRole('list', { name: 'Accounts' });

/** Opens the menu of the button named `button` and chooses `item`. */
async function choose(app: Page, button: string, item: string): Promise<void> {
  await app.getByRole('button', { name: button, exact: true }).click();
  await app.getByRole('menu').getByRole('menuitem', { name: item }).click();
}

/** Opens Add account with "Other ways to sign in" shown. */
async function addAccountOtherWays(app: Page) {
  await app.getByRole('button', { name: 'Add account' }).click();
  const dialog = app.getByRole('dialog', { name: 'Add account' });
  await expect(dialog.getByRole('button', { name: 'Sign in with Pieces' })).toBeVisible();
  await dialog.getByText('Other ways to sign in').click();
  return dialog;
}

test('launch: who is signed in at the top, active first, every account listed', async ({ app }) => {
  const active = app.getByRole('region', { name: 'Active account' });
  await expect(active).toContainText('Grace Hopper');
  await expect(active).toContainText(PEOPLE.grace.email);
  // One seeded user (known to Pieces OS, no saved sign-in here) plus the two signed in.
  await expect(accountsList(app).getByRole('listitem')).toHaveCount(3);
  await expect(accountsList(app).getByRole('listitem').first()).toContainText('Grace Hopper');
  await expect(accountRow(app, 'Grace Hopper')).toHaveAttribute('aria-current', 'true');
  await expect(accountRow(app, 'Grace Hopper')).toContainText('Active');
  await expect(accountRow(app, 'Ada Lovelace')).not.toHaveAttribute('aria-current', 'true');
  await expect(app.getByRole('button', { name: 'Switch to Grace Hopper' })).toHaveCount(0);
  await expect(app.getByRole('button', { name: 'Switch to Ada Lovelace' })).toBeVisible();
  // The seeded user needs a sign-in: its row says so, and offers exactly that.
  await expect(app.getByRole('button', { name: /^Sign in as / })).toHaveCount(1);
  await expect(accountsList(app)).toContainText('Sign-in needed');
  await expect(app.getByRole('status').first()).toHaveText(/^Connected to Pieces OS/);
  await app.screenshot(shot('main-window'));
});

test('a click on the account switches to it', async ({ app, emulator }) => {
  await app.getByRole('button', { name: 'Switch to Ada Lovelace' }).click();
  await expect(accountRow(app, 'Ada Lovelace')).toHaveAttribute('aria-current', 'true');
  await expect(app.getByRole('region', { name: 'Active account' })).toContainText('Ada Lovelace');
  // Active first: Ada moved to the top.
  await expect(accountsList(app).getByRole('listitem').first()).toContainText('Ada Lovelace');
  const ada = (emulator.users() as { id: string; email?: string }[]).find(
    (u) => u.email === PEOPLE.ada.email,
  );
  expect(emulator.currentUserId()).toBe(ada!.id);
});

test('switch by keyboard: Ctrl+number and arrows + Enter', async ({ app }) => {
  const rows = accountsList(app).getByRole('listitem');
  const adaIndex = (await rows.allTextContents()).findIndex((t) => t.includes('Ada Lovelace'));
  await expect(rows.nth(adaIndex)).toContainText(`Ctrl+${adaIndex + 1}`);
  await app.keyboard.press(`Control+${adaIndex + 1}`);
  await expect(accountRow(app, 'Ada Lovelace')).toHaveAttribute('aria-current', 'true');

  await expect(rows.first()).toContainText('Ada Lovelace');
  const graceIndex = (await rows.allTextContents()).findIndex((t) => t.includes('Grace Hopper'));
  await accountsList(app).focus();
  await app.keyboard.press('Home');
  for (let i = 0; i < graceIndex; i++) await app.keyboard.press('ArrowDown');
  await app.keyboard.press('Enter');
  await expect(accountRow(app, 'Grace Hopper')).toHaveAttribute('aria-current', 'true');
});

test('type-ahead: typing in the list filters it, Enter switches to the top match', async ({
  app,
}) => {
  await accountsList(app).focus();
  await app.keyboard.type('ada');
  const filter = app.getByRole('searchbox', { name: 'Filter accounts' });
  await expect(filter).toBeFocused();
  await expect(filter).toHaveValue('ada');
  await expect(accountsList(app).getByRole('listitem')).toHaveCount(1);
  await app.keyboard.press('Enter');
  await expect(accountRow(app, 'Ada Lovelace')).toHaveAttribute('aria-current', 'true');
  await expect(accountsList(app).getByRole('listitem')).toHaveCount(3);
});

test('the More actions menu works with the keyboard, and Show details opens the details', async ({
  app,
}) => {
  const more = app.getByRole('button', { name: 'More actions for Ada Lovelace' });
  await more.focus();
  await app.keyboard.press('Enter');
  const menu = app.getByRole('menu', { name: 'More actions for Ada Lovelace' });
  await expect(menu.getByRole('menuitem')).toHaveText([
    'Show details',
    'Sign out',
    'Forget saved sign-in',
  ]);
  await expect(menu.getByRole('menuitem', { name: 'Show details' })).toBeFocused();
  await app.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Sign out' })).toBeFocused();
  await app.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(more).toBeFocused();

  await choose(app, 'More actions for Ada Lovelace', 'Show details');
  const details = app.getByRole('region', { name: 'Account details' });
  await expect(details).toBeFocused();
  await expect(details).toContainText('Ada Lovelace');
  await expect(details).toContainText(PEOPLE.ada.email);
  await expect(details).toContainText('Ready');
});

test('add an account with a minted token, under "Other ways to sign in"', async ({
  app,
  emulator,
}) => {
  const dialog = await addAccountOtherWays(app);
  await dialog.getByLabel('OAuth token').fill(JSON.stringify(emulator.mintToken(PEOPLE.linus)));
  await app.screenshot(shot('add-account'));
  await dialog.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(accountRow(app, 'Linus Torvalds')).toHaveAttribute('aria-current', 'true');
  await expect(app.getByRole('region', { name: 'Active account' })).toContainText('Linus');
});

test('a token Pieces OS refuses: clear message in the dialog, nothing changed', async ({
  app,
  emulator,
}) => {
  const before = emulator.users();
  const dialog = await addAccountOtherWays(app);
  const forged = { access_token: 'not-minted-by-anyone', token_type: 'Bearer', expires_in: 3600 };
  await dialog.getByLabel('OAuth token').fill(JSON.stringify(forged));
  await dialog.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(dialog.getByRole('alert')).toBeVisible();
  await expect(dialog.getByRole('alert')).not.toContainText('not-minted-by-anyone');
  await expect(dialog.getByRole('alert')).not.toContainText(/HTTP|\d{3}/);
  await expect(dialog).toBeVisible();
  expect(emulator.users()).toEqual(before);
  await expect(accountRow(app, 'Grace Hopper')).toHaveAttribute('aria-current', 'true');
  // Malformed input is caught before anything is sent.
  const requests = emulator.requestCount('signIn');
  await dialog.getByLabel('OAuth token').fill('{ this is not json');
  await dialog.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(dialog.getByText(/JSON/i).first()).toBeVisible();
  expect(emulator.requestCount('signIn')).toBe(requests);
  await app.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('sign out asks first: Cancel keeps the account, Sign out removes it', async ({
  app,
  emulator,
}) => {
  await choose(app, 'More actions for Ada Lovelace', 'Sign out');
  let confirm = app.getByRole('alertdialog');
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await expect(accountRow(app, 'Ada Lovelace')).toHaveCount(1);

  await choose(app, 'More actions for Ada Lovelace', 'Sign out');
  confirm = app.getByRole('alertdialog');
  await confirm.getByRole('button', { name: /^Sign out/ }).click();
  await expect(accountRow(app, 'Ada Lovelace')).toHaveCount(0);
  expect((emulator.users() as { email?: string }[]).some((u) => u.email === PEOPLE.ada.email)).toBe(
    false,
  );
});

test('sign out of all accounts, from the More menu, names the count', async ({ app, emulator }) => {
  await choose(app, 'More', 'Sign out of all accounts…');
  await app
    .getByRole('alertdialog')
    .getByRole('button', { name: 'Sign out of 3 accounts' })
    .click();
  await expect(accountsList(app)).toHaveCount(0);
  await expect(app.locator('.report')).toContainText('Signed out of 3 accounts.');
  expect(emulator.users()).toEqual([]);
  await expect(app.getByRole('region', { name: 'Active account' })).toContainText(
    'No account is active',
  );
  await expect(app.getByRole('button', { name: 'Sign in with Pieces' })).toBeVisible();
  await app.screenshot(shot('empty'));
});

test('sign out of all with failures: one message per cause, and "Retry the 2 that failed"', async ({
  app,
  emulator,
}) => {
  emulator.setFaults({ disconnect: { status: 500, body: 'database is locked', times: 2 } });
  await choose(app, 'More', 'Sign out of all accounts…');
  await app
    .getByRole('alertdialog')
    .getByRole('button', { name: 'Sign out of 3 accounts' })
    .click();
  const report = app.getByRole('alert').filter({ hasText: 'Could not sign out of 2 accounts' });
  await expect(report).toBeVisible();
  await expect(report).toContainText('Signed out of 1 account.');
  // The same cause twice is said once, with both names; no status numbers for people.
  await expect(report.getByRole('listitem')).toHaveCount(1);
  await expect(report).not.toContainText(/HTTP|500|database/);
  await app.screenshot(shot('sign-out-all-failures'));
  await app.getByRole('button', { name: 'Retry the 2 that failed' }).click();
  await expect(app.locator('.report')).toContainText('Signed out of 2 accounts.');
  await expect(accountsList(app)).toHaveCount(0);
  expect(emulator.users()).toEqual([]);
});

test('Pieces OS stopped: one banner with Retry now; restarted: recovers without reload', async ({
  app,
  emulator,
}) => {
  await emulator.stop();
  // The next refresh notices (the preview runs with a short refresh interval).
  await expect(app.getByRole('status').first()).toContainText('not reachable');
  await expect(app.getByRole('button', { name: 'Retry now' })).toBeVisible();
  await expect(app.getByRole('button', { name: 'Change address…' })).toBeVisible();
  // Said once, not in every corner of the window.
  await expect(app.getByText(/not reachable/)).toHaveCount(1);
  await expect(accountRow(app, 'Grace Hopper')).toHaveCount(1); // nothing lost while offline
  await app.screenshot(shot('offline'));
  // Retry now while Pieces OS is still away: the app looks again and still says so, once.
  await app.getByRole('button', { name: 'Retry now' }).click();
  await expect(app.getByRole('status').first()).toContainText('not reachable');
  await expect(app.getByText(/not reachable/)).toHaveCount(1);
  await emulator.start();
  // Back: the app finds it again by itself (its live link keeps looking), no reload, no click.
  await expect(app.getByRole('status').first()).toContainText('Connected');
  await expect(accountRow(app, 'Grace Hopper')).toHaveAttribute('aria-current', 'true');
});

test('Settings: General first, the address under Advanced, About shows the connection', async ({
  app,
}) => {
  await choose(app, 'More', 'Settings…');
  const settings = app.getByRole('dialog', { name: 'Settings' });
  await expect(settings.getByRole('heading', { name: 'General' })).toBeVisible();
  await expect(settings.getByLabel('Pieces OS address')).toBeHidden();
  await settings.getByText('Advanced').click();
  await expect(settings.getByLabel('Pieces OS address')).toBeVisible();
  await expect(settings.getByRole('region', { name: 'About' })).toContainText(
    /Connected to Pieces OS .* at http:\/\/127\.0\.0\.1:\d+/,
  );
});

test('a fault during a switch: the row shows the error in words, state unchanged', async ({
  app,
  emulator,
}) => {
  emulator.setFaults({ signIn: { status: 500, body: 'database is locked' } });
  await app.getByRole('button', { name: 'Switch to Ada Lovelace' }).click();
  const alert = accountRow(app, 'Ada Lovelace').getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert).not.toContainText(/HTTP|500|database/);
  await expect(accountRow(app, 'Grace Hopper')).toHaveAttribute('aria-current', 'true');
  await app.screenshot(shot('switch-error'));
});

test('a saved sign-in Pieces OS refuses: the row asks for a sign-in; a new token clears it', async ({
  app,
  emulator,
}) => {
  emulator.setFaults({ signIn: { status: 401, body: 'token expired', times: 1 } });
  await app.getByRole('button', { name: 'Switch to Ada Lovelace' }).click();
  const row = accountRow(app, 'Ada Lovelace');
  await expect(row.getByRole('alert')).toContainText('Sign in to this account again');
  // Main now knows the saved sign-in is refused: the row offers the sign-in, not a switch.
  await expect(row.getByRole('button', { name: 'Sign in as Ada Lovelace' })).toBeVisible();
  await expect(row.getByRole('button', { name: 'Switch to Ada Lovelace' })).toHaveCount(0);
  const dialog = await addAccountOtherWays(app);
  await dialog.getByLabel('OAuth token').fill(JSON.stringify(emulator.mintToken(PEOPLE.ada)));
  await dialog.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toHaveAttribute('aria-current', 'true');
  await expect(row.getByRole('alert')).toHaveCount(0);
});

test('sign out with the keyboard: focus moves on to an account, not to the page', async ({
  app,
}) => {
  await app.getByRole('button', { name: 'More actions for Ada Lovelace' }).focus();
  await app.keyboard.press('Enter');
  await app.keyboard.press('ArrowDown');
  await expect(app.getByRole('menuitem', { name: 'Sign out' })).toBeFocused();
  await app.keyboard.press('Enter');
  const confirm = app.getByRole('alertdialog');
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: /^Sign out/ }).focus();
  await app.keyboard.press('Enter');
  await expect(accountRow(app, 'Ada Lovelace')).toHaveCount(0);
  // Focus is on a row's main button in the list, so the arrow keys and Enter keep working.
  await expect(accountsList(app).locator('.row-main:focus')).toHaveCount(1);
  await app.keyboard.press('Home');
  await expect(accountsList(app).locator('[aria-posinset="1"] .row-main')).toBeFocused();
});
