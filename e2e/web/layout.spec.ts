/// <reference lib="dom" />
// Small windows and high zoom: the list keeps room for at least three accounts, and the page
// itself never scrolls (no list scrolling inside a scrolling page). axe-core finds nothing in the
// main states, light and dark.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { pastedToken } from '../../test/support/sign-in-form';

/** Rows of the list that are entirely inside both the list's box and the window. */
async function fullyVisibleRows(app: Page): Promise<number> {
  return app.evaluate(() => {
    const list = document.querySelector('[role="list"][aria-label="Accounts"]')!;
    const box = list.getBoundingClientRect();
    return [...list.querySelectorAll('li')].filter((li) => {
      const r = li.getBoundingClientRect();
      return r.top >= box.top - 1 && r.bottom <= box.bottom + 1 && r.bottom <= innerHeight;
    }).length;
  });
}

const pageScrolls = (app: Page) =>
  app.evaluate(() => document.documentElement.scrollHeight > innerHeight + 1);

// 200% zoom of a 1280×720 window lays the page out in 640×360 CSS pixels, which is what the
// viewport below gives Chromium (browser zoom itself cannot be set from a test).
for (const [name, viewport] of [
  ['at 360 px wide', { width: 360, height: 640 }],
  ['at 200% zoom (640×360 CSS px)', { width: 640, height: 360 }],
] as const) {
  test(`${name}: three rows visible, no nested scrolling`, async ({ app, emulator, preview }) => {
    // Three more accounts, so the list has more rows than fit.
    for (const person of [
      { email: 'a1@example.com', name: 'Anna One' },
      { email: 'a2@example.com', name: 'Anna Two' },
      { email: 'a3@example.com', name: 'Anna Three' },
    ]) {
      expect((await preview.invoke('signIn', pastedToken(emulator.mintToken(person)))).ok).toBe(
        true,
      );
    }
    await app.setViewportSize(viewport);
    const rows = app.getByRole('list', { name: 'Accounts' }).getByRole('listitem');
    await expect(rows).toHaveCount(6);
    expect(await fullyVisibleRows(app)).toBeGreaterThanOrEqual(3);
    expect(await pageScrolls(app)).toBe(false);
    await expect(app.getByRole('region', { name: 'Active account' })).toBeInViewport();
    await expect(app.getByRole('button', { name: 'More', exact: true })).toBeInViewport();
    // Emails are not cut to a few letters: the provider gave way to them.
    const email = rows.first().locator('.row-email');
    expect(await email.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    await app.screenshot({ path: test.info().outputPath('layout.png') });
  });
}

async function expectNoAxeViolations(app: Page, state: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page: app }).analyze();
  expect(
    violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    state,
  ).toEqual([]);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`axe-core finds no violations in the main states (${scheme})`, async ({ app, emulator }) => {
    // Six full axe-core audits: seconds each of CPU, several times that on a loaded shared machine.
    test.slow();
    await app.emulateMedia({ colorScheme: scheme });
    await expectNoAxeViolations(app, 'main window');

    await app.getByRole('button', { name: 'More actions for Ada Lovelace' }).click();
    await expect(app.getByRole('menu')).toBeVisible();
    await expectNoAxeViolations(app, 'row menu open');
    await app.keyboard.press('Escape');

    await app.getByRole('button', { name: 'Add account' }).click();
    const add = app.getByRole('dialog', { name: 'Add account' });
    await add.getByText('Other ways to sign in').click();
    await expect(add.getByLabel('OAuth token')).toBeVisible();
    await expectNoAxeViolations(app, 'add account');
    await app.keyboard.press('Escape');
    await expect(add).toBeHidden();

    await app.getByRole('button', { name: 'More', exact: true }).click();
    await app.getByRole('menuitem', { name: 'Settings…' }).click();
    const settings = app.getByRole('dialog', { name: 'Settings' });
    await settings.getByText('Advanced').click();
    await expect(settings.getByLabel('Pieces OS address')).toBeVisible();
    await expectNoAxeViolations(app, 'settings');
    await app.keyboard.press('Escape');
    await expect(settings).toBeHidden();

    await emulator.stop();
    await expect(app.getByRole('status').first()).toContainText('not reachable');
    await expectNoAxeViolations(app, 'offline');
    await emulator.start();
  });
}
