// The whole app in Chromium: the built renderer, the real account service and IPC handlers (in the
// web preview's Node process) and the Pieces OS emulator, all on loopback.
import { accountRow, expect, PEOPLE, test } from './fixtures';

const shot = (name: string) => ({ path: test.info().outputPath(`${name}.png`), fullPage: true });

test('launch shows every account and the active one', async ({ app, emulator }) => {
  const list = app.getByRole('list', { name: 'Accounts' });
  // One seeded user (known to Pieces OS, no token here) plus the two signed in.
  await expect(list.getByRole('listitem')).toHaveCount(3);
  await expect(accountRow(app, 'Grace Hopper')).toHaveAttribute('aria-current', 'true');
  await expect(accountRow(app, 'Grace Hopper')).toContainText('Active');
  await expect(accountRow(app, 'Grace Hopper')).toContainText(PEOPLE.grace.email);
  await expect(accountRow(app, 'Ada Lovelace')).not.toHaveAttribute('aria-current', 'true');
  await expect(app.getByRole('button', { name: 'Switch to Grace Hopper' })).toHaveCount(0);
  await expect(app.getByRole('status').first()).toContainText(emulator.url);
  await app.screenshot(shot('main-window'));
});

test('switch by click', async ({ app, emulator }) => {
  await app.getByRole('button', { name: 'Switch to Ada Lovelace' }).click();
  await expect(accountRow(app, 'Ada Lovelace')).toHaveAttribute('aria-current', 'true');
  await expect(accountRow(app, 'Grace Hopper')).not.toHaveAttribute('aria-current', 'true');
  const ada = (emulator.users() as { id: string; email?: string }[]).find(
    (u) => u.email === PEOPLE.ada.email,
  );
  expect(emulator.currentUserId()).toBe(ada!.id);
});

test('switch by keyboard: Ctrl+number and arrows + Enter', async ({ app }) => {
  const rows = app.getByRole('list', { name: 'Accounts' }).getByRole('listitem');
  const adaIndex = (await rows.allTextContents()).findIndex((t) => t.includes('Ada Lovelace'));
  await app.keyboard.press(`Control+${adaIndex + 1}`);
  await expect(accountRow(app, 'Ada Lovelace')).toHaveAttribute('aria-current', 'true');

  const graceIndex = (await rows.allTextContents()).findIndex((t) => t.includes('Grace Hopper'));
  await app.getByRole('list', { name: 'Accounts' }).focus();
  await app.keyboard.press('Home');
  for (let i = 0; i < graceIndex; i++) await app.keyboard.press('ArrowDown');
  await app.keyboard.press('Enter');
  await expect(accountRow(app, 'Grace Hopper')).toHaveAttribute('aria-current', 'true');
});

test('details of the selected account', async ({ app }) => {
  await accountRow(app, 'Ada Lovelace').getByText('Ada Lovelace').first().click();
  const details = app.getByRole('region', { name: 'Account details' });
  await expect(details).toContainText('Ada Lovelace');
  await expect(details).toContainText(PEOPLE.ada.email);
});

test('add an account with a minted token', async ({ app, emulator }) => {
  await app.getByRole('button', { name: 'Add account' }).first().click();
  const dialog = app.getByRole('dialog', { name: 'Add account' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('OAuth token').fill(JSON.stringify(emulator.mintToken(PEOPLE.linus)));
  await app.screenshot(shot('add-account'));
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await expect(dialog).toBeHidden();
  await expect(accountRow(app, 'Linus Torvalds')).toHaveAttribute('aria-current', 'true');
});

test('a token Pieces OS refuses: clear message in the dialog, nothing changed', async ({
  app,
  emulator,
}) => {
  const before = emulator.users();
  await app.getByRole('button', { name: 'Add account' }).first().click();
  const dialog = app.getByRole('dialog', { name: 'Add account' });
  const forged = { access_token: 'not-minted-by-anyone', token_type: 'Bearer', expires_in: 3600 };
  await dialog.getByLabel('OAuth token').fill(JSON.stringify(forged));
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await expect(dialog.getByRole('alert')).toBeVisible();
  await expect(dialog.getByRole('alert')).not.toContainText('not-minted-by-anyone');
  await expect(dialog).toBeVisible();
  expect(emulator.users()).toEqual(before);
  await expect(accountRow(app, 'Grace Hopper')).toHaveAttribute('aria-current', 'true');
  // Malformed input is caught before anything is sent.
  const requests = emulator.requestCount('signIn');
  await dialog.getByLabel('OAuth token').fill('{ this is not json');
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await expect(dialog.getByText(/JSON/i).first()).toBeVisible();
  expect(emulator.requestCount('signIn')).toBe(requests);
  await app.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('sign out asks first: Cancel keeps the account, Sign out removes it', async ({
  app,
  emulator,
}) => {
  await accountRow(app, 'Ada Lovelace')
    .getByRole('button', { name: 'Sign out Ada Lovelace' })
    .click();
  let confirm = app.getByRole('alertdialog');
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await expect(accountRow(app, 'Ada Lovelace')).toHaveCount(1);

  await accountRow(app, 'Ada Lovelace')
    .getByRole('button', { name: 'Sign out Ada Lovelace' })
    .click();
  confirm = app.getByRole('alertdialog');
  await confirm.getByRole('button', { name: 'Sign out' }).click();
  await expect(accountRow(app, 'Ada Lovelace')).toHaveCount(0);
  expect((emulator.users() as { email?: string }[]).some((u) => u.email === PEOPLE.ada.email)).toBe(
    false,
  );
});

test('sign out of all accounts', async ({ app, emulator }) => {
  await app.getByRole('button', { name: 'Sign out of all accounts' }).click();
  await app.getByRole('alertdialog').getByRole('button', { name: 'Sign out' }).click();
  await expect(app.getByRole('list', { name: 'Accounts' }).getByRole('listitem')).toHaveCount(0);
  expect(emulator.users()).toEqual([]);
  await app.screenshot(shot('empty'));
});

test('Pieces OS stopped: banner says not reachable; restarted: recovers without reload', async ({
  app,
  emulator,
}) => {
  await emulator.stop();
  // The next refresh notices (the preview runs with a short refresh interval).
  await expect(app.getByRole('status').first()).toContainText('not reachable');
  await expect(app.getByRole('button', { name: 'Retry now' })).toBeVisible();
  await expect(accountRow(app, 'Grace Hopper')).toHaveCount(1); // nothing lost while offline
  await app.screenshot(shot('offline'));
  await emulator.start();
  await app.getByRole('button', { name: 'Retry now' }).click();
  await expect(app.getByRole('status').first()).toContainText('Connected');
  await expect(accountRow(app, 'Grace Hopper')).toHaveAttribute('aria-current', 'true');
});

test('a fault during a switch: the row shows the error, state unchanged', async ({
  app,
  emulator,
}) => {
  emulator.setFaults({ signIn: { status: 500, body: 'database is locked' } });
  await app.getByRole('button', { name: 'Switch to Ada Lovelace' }).click();
  await expect(accountRow(app, 'Ada Lovelace').getByRole('alert')).toBeVisible();
  await expect(accountRow(app, 'Grace Hopper')).toHaveAttribute('aria-current', 'true');
  await app.screenshot(shot('switch-error'));
});

test('a saved sign-in Pieces OS refuses: "Sign in…" on the row, and a new token clears it', async ({
  app,
  emulator,
}) => {
  emulator.setFaults({ signIn: { status: 401, body: 'token expired', times: 1 } });
  await app.getByRole('button', { name: 'Switch to Ada Lovelace' }).click();
  const row = accountRow(app, 'Ada Lovelace');
  await expect(row.getByRole('alert')).toContainText('Sign in to this account again');
  // A real click on the link inside the error line (the line itself lets clicks through).
  await row.getByRole('button', { name: 'Sign in…' }).click();
  const dialog = app.getByRole('dialog', { name: 'Add account' });
  await dialog.getByLabel('OAuth token').fill(JSON.stringify(emulator.mintToken(PEOPLE.ada)));
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toHaveAttribute('aria-current', 'true');
  await expect(row.getByRole('alert')).toHaveCount(0);
});

test('sign out with the keyboard: focus moves on to an account, not to the page', async ({
  app,
}) => {
  const signOut = app.getByRole('button', { name: 'Sign out Ada Lovelace' });
  await signOut.focus();
  await app.keyboard.press('Enter');
  const confirm = app.getByRole('alertdialog');
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Sign out' }).focus();
  await app.keyboard.press('Enter');
  await expect(accountRow(app, 'Ada Lovelace')).toHaveCount(0);
  // Focus is on a row's main button in the list (the account selected next), so the arrow keys
  // and Enter keep working without a click.
  const list = app.getByRole('list', { name: 'Accounts' });
  await expect(list.locator('.row-main:focus')).toHaveCount(1);
  await app.keyboard.press('Home');
  await expect(list.locator('[aria-posinset="1"] .row-main')).toBeFocused();
});
