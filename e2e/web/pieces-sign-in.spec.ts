// Signing in the way Pieces' own clients do, end to end: the window asks Pieces OS (the emulator)
// to run the sign-in, the person finishes it on the page Pieces OS would open in the browser, and
// the app keeps the sign-in Pieces OS hands over, so switching back and forth needs no token.
import type { Page } from '@playwright/test';
import { startEmulator, type Emulator } from '../../emulator/server';
import {
  accountRow,
  expect,
  startPreview,
  stopPreview,
  test as base,
  type Preview,
} from './fixtures';

interface Seeded {
  id: string;
  email: string;
  name: string;
}

const test = base.extend<{ emulator: Emulator; preview: Preview; app: Page }>({
  // eslint-disable-next-line no-empty-pattern
  emulator: async ({}, use) => {
    // Three users Pieces OS knows, as a real Pieces OS would; the app keeps no sign-in for any.
    const emulator = await startEmulator({ port: 0, users: 3, seed: 21 });
    await use(emulator);
    await emulator.close();
  },
  preview: async ({ emulator }, use) => {
    const { child, preview } = await startPreview(emulator.url);
    try {
      await use(preview);
    } finally {
      await stopPreview(child);
    }
  },
});

/** The person, in the browser Pieces OS opened, picks `who` on its sign-in page. */
async function finishInBrowser(page: Page, emulator: Emulator, who: Seeded): Promise<void> {
  await emulator.whenSignInPending();
  const browser = await page.context().newPage();
  await browser.goto(emulator.signInPageUrl);
  await browser.getByRole('button', { name: `Sign in as ${who.name} (${who.email})` }).click();
  await expect(browser.getByText(`Signed in as ${who.name}`)).toBeVisible();
  // Back to the app's window, as the person would; the tab closes with the test's browser context.
  await page.bringToFront();
}

test('Sign in with Pieces first, finished on Pieces OS’s page, then switching both ways with no token typed', async ({
  page,
  preview,
  emulator,
}) => {
  const seeded = emulator.users() as Seeded[];
  const [, second, third] = seeded;
  await page.goto(preview.url);
  await expect(page.getByRole('status').first()).toContainText('Connected');
  const list = page.getByRole('list', { name: 'Accounts' });
  await expect(list.getByRole('listitem')).toHaveCount(3);
  // No saved sign-in: the accounts Pieces OS knows offer a sign-in, never a switch that would fail.
  await expect(page.getByRole('button', { name: /^Switch to / })).toHaveCount(0);

  // "Sign in with Pieces" leads Add account.
  await page.getByRole('button', { name: 'Add account' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add account' });
  await expect(dialog.getByRole('button').first()).toHaveText('Sign in with Pieces');
  await dialog.getByRole('button', { name: 'Sign in with Pieces' }).click();
  const waiting = page.getByRole('status').filter({ hasText: 'Finish signing in in your browser' });
  await expect(waiting).toBeVisible();
  await finishInBrowser(page, emulator, second!);
  const active = page.getByRole('region', { name: 'Active account' });
  await expect(active).toContainText(second!.email);

  // The third account, through its own row: "Sign in as <name>".
  await page.getByRole('button', { name: `Sign in as ${third!.name}` }).click();
  await expect(waiting).toContainText(`choose ${third!.name} (${third!.email})`);
  await finishInBrowser(page, emulator, third!);
  await expect(active).toContainText(third!.email);

  // Both sign-ins were kept: switching back and forth works, in Pieces OS too.
  await page.getByRole('button', { name: `Switch to ${second!.name}` }).click();
  await expect(active).toContainText(second!.email);
  await expect(accountRow(page, second!.name)).toHaveAttribute('aria-current', 'true');
  expect(emulator.currentUserId()).toBe(second!.id);
  await page.getByRole('button', { name: `Switch to ${third!.name}` }).click();
  await expect(active).toContainText(third!.email);
  await expect.poll(() => emulator.currentUserId()).toBe(third!.id);
});

test('Cancel ends a waiting sign-in: nothing added', async ({ page, preview, emulator }) => {
  await page.goto(preview.url);
  await expect(page.getByRole('status').first()).toContainText('Connected');
  await page.getByRole('button', { name: 'Add account' }).first().click();
  await page
    .getByRole('dialog', { name: 'Add account' })
    .getByRole('button', { name: 'Sign in with Pieces' })
    .click();
  await emulator.whenSignInPending();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Finish signing in in your browser' }),
  ).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Accounts' }).getByRole('listitem')).toHaveCount(3);
  await expect(page.getByRole('button', { name: /^Switch to / })).toHaveCount(0);
});
