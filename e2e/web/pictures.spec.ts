// Profile pictures reach the window as data (main fetches them; the web preview draws its demo
// ones): the page itself asks nothing of any other origin, and an account without one shows
// initials.
import { accountRow, expect, PEOPLE, test } from './fixtures';

test('a picture for the account that has one, initials otherwise, and no request off the page origin', async ({
  page,
  preview,
}) => {
  const origin = new URL(preview.url).origin;
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  await page.goto(preview.url);
  await expect(page.getByRole('status').first()).toContainText('Connected');

  // Grace's demo picture, at the top and in her row, drawn by the browser (it decoded).
  const active = page.getByRole('region', { name: 'Active account' });
  for (const where of [active, accountRow(page, PEOPLE.grace.name)]) {
    const img = where.locator('img.avatar');
    await expect(img).toHaveAttribute('src', /^data:image\/png;base64,/);
    await expect
      .poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);
  }
  // Ada has no picture: her initials, and no image element at all.
  const ada = accountRow(page, PEOPLE.ada.name);
  await expect(ada.locator('.avatar-initials')).toHaveText('AL');
  await expect(ada.locator('img')).toHaveCount(0);

  expect(requested.length).toBeGreaterThan(0);
  const elsewhere = requested.filter(
    (url) => !url.startsWith('data:') && new URL(url).origin !== origin,
  );
  expect(elsewhere).toEqual([]);
});
