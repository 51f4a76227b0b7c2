// npm run screenshot: the README's pictures of the window, light and dark, from the current code.
// Starts the emulator with demo accounts and the web preview (the built renderer and the real
// main-process core), drives Debian's Chromium over it, and writes docs/screenshot-{light,dark}.png.
//
// The same code gives the same bytes on every run: the demo accounts' dates come from their emails
// (emulator/profiles.ts), the page's clock, time zone and locale are fixed, and animations and the
// caret are off. `npm run screenshot -- --check` renders into a temp folder instead and exits 1
// when the committed pictures differ from what the current code draws.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';
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
/** What the window's clock says in the pictures (any relative time is counted from it). */
const FROZEN_NOW = new Date('2026-06-01T12:00:00Z');
const SCHEMES = ['light', 'dark'] as const;

/** A screenshot once two in a row are the same (as Playwright's toHaveScreenshot waits). */
async function settledScreenshot(page: Page): Promise<Buffer> {
  let last: Buffer | null = null;
  for (let i = 0; i < 10; i++) {
    const shot = await page.screenshot({ animations: 'disabled', caret: 'hide' });
    if (last?.equals(shot)) return shot;
    last = shot;
  }
  throw new Error('The window did not hold still for a screenshot.');
}

async function render(outDir: string): Promise<string[]> {
  const root = join(__dirname, '..');
  // No seeded users: every account in the picture has a saved sign-in, one of each state is not
  // the point here (the tests cover those).
  const emulator = await startEmulator({ users: 0, seed: 7 });
  const preview = await startWebPreview({
    rendererDir: join(root, 'out', 'renderer'),
    piecesOsUrl: emulator.url,
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    // One raster thread and one colour profile: tiles rastered in parallel (the app icon's mask)
    // otherwise differ in a few pixels from run to run.
    args: [
      ...CHROMIUM_ARGS,
      '--num-raster-threads=1',
      '--force-color-profile=srgb',
      '--disable-partial-raster',
      '--disable-lcd-text',
      '--disable-checker-imaging',
    ],
  });
  const written: string[] = [];
  try {
    for (const person of [...SCREENSHOT_PEOPLE.slice(1), SCREENSHOT_PEOPLE[0]!]) {
      const result = await preview.service.signIn(emulator.mintToken(person));
      if (!result.ok) throw new Error(`Could not sign in ${person.name}: ${result.error.message}`);
    }
    for (const scheme of SCHEMES) {
      const page = await browser.newPage({
        viewport: VIEWPORT,
        deviceScaleFactor: 1,
        colorScheme: scheme,
        reducedMotion: 'reduce',
        timezoneId: 'UTC',
        locale: 'en-US',
      });
      await page.clock.setFixedTime(FROZEN_NOW);
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
      // Every image (the app icon, the pictures main hands over) is in and decoded, and the
      // fonts are loaded: a picture taken a frame early differs in a few pixels.
      await page.waitForFunction(() => {
        const images = [...document.images];
        return (
          images.filter((img) => img.classList.contains('avatar')).length >= 3 &&
          images.every((img) => img.complete && img.naturalWidth > 0)
        );
      });
      await page.evaluate(async () => {
        await document.fonts.ready;
        await Promise.all([...document.images].map((img) => img.decode()));
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      });
      await page.mouse.move(0, 0);
      const path = join(outDir, `screenshot-${scheme}.png`);
      writeFileSync(path, await settledScreenshot(page));
      written.push(path);
      await page.close();
    }
  } finally {
    await browser.close();
    await preview.close();
    await emulator.close();
  }
  return written;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const docs = join(__dirname, '..', 'docs');
  if (!values.check) {
    for (const path of await render(docs)) console.log(`Wrote ${path}`);
    return;
  }
  const temp = mkdtempSync(join(tmpdir(), 'screenshot-check-'));
  try {
    await render(temp);
    const stale = SCHEMES.map((s) => `screenshot-${s}.png`).filter((name) => {
      let committed: Buffer;
      try {
        committed = readFileSync(join(docs, name));
      } catch {
        return true;
      }
      return !committed.equals(readFileSync(join(temp, name)));
    });
    if (stale.length > 0) {
      console.error(
        `Out of date: docs/${stale.join(', docs/')} differ from what the current code draws. ` +
          'Run `npm run screenshot` and commit the pictures.',
      );
      process.exitCode = 1;
    } else console.log('The screenshots in docs/ match the current code, byte for byte.');
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`Screenshot failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
