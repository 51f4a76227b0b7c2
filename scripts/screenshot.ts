// npm run screenshot: the README's pictures of the window, light and dark, from the current code.
// Starts the emulator with demo accounts and the web preview (the built renderer and the real
// main-process core), drives Debian's Chromium over it, and writes docs/screenshot-{light,dark}.png.
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { startEmulator } from '../emulator/server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';
import { startWebPreview } from '../web-preview/server';

/** The people in the pictures: signed in through the app's own sign-in path, the last active. */
export const SCREENSHOT_PEOPLE = [
  { email: 'grace.hopper@example.com', name: 'Grace Hopper' },
  { email: 'ada@analytical.example', name: 'Ada Lovelace' },
  { email: 'alan.turing@example.org', name: 'Alan Turing' },
  { email: 'katherine.j@example.net', name: 'Katherine Johnson' },
  { email: 'linus@example.com', name: 'Linus Torvalds' },
  { email: 'margaret@example.com', name: 'Margaret Hamilton' },
];

const VIEWPORT = { width: 880, height: 560 };

async function main(): Promise<void> {
  const root = join(__dirname, '..');
  // No seeded users: every account in the picture has a saved sign-in, one of each state is not
  // the point here (the tests cover those).
  const emulator = await startEmulator({ users: 0, seed: 7 });
  const preview = await startWebPreview({
    rendererDir: join(root, 'out', 'renderer'),
    piecesOsUrl: emulator.url,
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    for (const person of [...SCREENSHOT_PEOPLE.slice(1), SCREENSHOT_PEOPLE[0]!]) {
      const result = await preview.service.signIn(emulator.mintToken(person));
      if (!result.ok) throw new Error(`Could not sign in ${person.name}: ${result.error.message}`);
    }
    for (const scheme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ viewport: VIEWPORT, colorScheme: scheme });
      await page.goto(preview.url);
      await page.getByRole('status').first().filter({ hasText: 'Connected' }).waitFor();
      const list = page.getByRole('list', { name: 'Accounts' });
      await list
        .getByRole('listitem')
        .nth(SCREENSHOT_PEOPLE.length - 1)
        .waitFor();
      // A row other than the active one selected, so its details show.
      await list.getByRole('button', { name: 'Switch to Ada Lovelace' }).focus();
      const details = page.getByRole('region', { name: 'Account details' });
      await details.getByText('Created').waitFor();
      await page.mouse.move(0, 0);
      const path = join(root, 'docs', `screenshot-${scheme}.png`);
      await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
      console.log(`Wrote ${path}`);
      await page.close();
    }
  } finally {
    await browser.close();
    await preview.close();
    await emulator.close();
  }
}

main().catch((err: unknown) => {
  console.error(`Screenshot failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
