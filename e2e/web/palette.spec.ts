/// <reference lib="dom" />
// The quick switcher in Chromium: the same built page as the window with ?view=palette, the real
// main-process core behind the web preview, and the Pieces OS emulator, all on loopback. Where
// the desktop app hides the palette's window, the preview prints "Palette closed".
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, PEOPLE, test } from './fixtures';

const paletteUrl = (url: string) => `${url}&view=palette`;

/** Opens the palette view; the fixture's accounts: Grace (active), Ada, one seeded user. */
async function openPalette(page: Page, url: string): Promise<Page> {
  await page.goto(paletteUrl(url));
  await expect(page.getByRole('option')).toHaveCount(3);
  return page;
}

const search = (page: Page) => page.getByRole('combobox', { name: 'Switch to account' });
const selected = (page: Page) => page.locator('[role="option"][aria-selected="true"]');

/** The emulator's current user, asked over HTTP as any Pieces client would. */
async function currentEmail(emulatorUrl: string): Promise<string | undefined> {
  const res = await fetch(`${emulatorUrl}/user`);
  const body = (await res.json()) as { user?: { email?: string } };
  return body.user?.email;
}

test('opens with the search focused, the active account first and the next one selected', async ({
  page,
  preview,
}) => {
  await openPalette(page, preview.url);
  await expect(search(page)).toBeFocused();
  await expect(page.getByRole('option').first()).toContainText(PEOPLE.grace.name);
  await expect(page.getByRole('option').first()).toContainText('Active');
  await expect(selected(page)).toContainText(PEOPLE.ada.name);
  await expect(page.getByRole('option').nth(2)).toContainText(/Sign in as .*…/);
  await page.screenshot({ path: test.info().outputPath('palette.png') });
});

test('typing filters, arrows move, Enter switches in Pieces OS and closes', async ({
  page,
  preview,
  emulator,
}) => {
  await openPalette(page, preview.url);
  expect(await currentEmail(emulator.url)).toBe(PEOPLE.grace.email);

  await page.keyboard.type('example.com');
  await expect(page.getByRole('option')).toHaveCount(2);
  await expect(selected(page)).toContainText(PEOPLE.ada.name);
  await page.keyboard.press('ArrowDown');
  await expect(selected(page)).toContainText(PEOPLE.grace.name);
  await page.keyboard.press('ArrowUp');
  await expect(selected(page)).toContainText(PEOPLE.ada.name);

  await page.keyboard.type(' ada');
  await expect(page.getByRole('option')).toHaveCount(1);
  const closed = preview.nextPaletteClose();
  await page.keyboard.press('Enter');
  await closed;
  expect(await currentEmail(emulator.url)).toBe(PEOPLE.ada.email);
  // Ready for the next opening: empty search, Ada first now.
  await expect(search(page)).toHaveValue('');
  await expect(page.getByRole('option').first()).toContainText(PEOPLE.ada.name);
});

test('Escape closes without switching', async ({ page, preview, emulator }) => {
  await openPalette(page, preview.url);
  await page.keyboard.type('ada');
  const closed = preview.nextPaletteClose();
  await page.keyboard.press('Escape');
  await closed;
  expect(await currentEmail(emulator.url)).toBe(PEOPLE.grace.email);
  await expect(search(page)).toHaveValue('');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`axe-core finds no violations in the quick switcher (${scheme})`, async ({
    page,
    preview,
    emulator,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openPalette(page, preview.url);
    const check = async (state: string) => {
      const { violations } = await new AxeBuilder({ page }).analyze();
      expect(
        violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
        state,
      ).toEqual([]);
    };
    await check('open');
    await page.keyboard.type('zzz');
    await expect(page.getByText('No account matches “zzz”.')).toBeVisible();
    await check('no match');
    await page.keyboard.press('Escape');
    await emulator.stop();
    await expect(page.getByText('Pieces OS is not reachable')).toBeVisible();
    await check('offline');
    await emulator.start();
  });
}
