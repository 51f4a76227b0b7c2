import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { test as base, expect, type Page } from '@playwright/test';
import { startEmulator, type Emulator } from '../../emulator/server';
import { stopChild } from '../../test/support/child-process';
import { pastedToken } from '../../test/support/sign-in-form';

export const PEOPLE = {
  ada: { email: 'ada@example.com', name: 'Ada Lovelace' },
  grace: { email: 'grace@example.com', name: 'Grace Hopper' },
  linus: { email: 'linus@example.com', name: 'Linus Torvalds' },
} as const;

export interface Preview {
  url: string;
  /** Call a bridge channel the way the page does (with the per-run key). */
  invoke(
    channel: string,
    args?: unknown,
  ): Promise<{ ok: boolean; value?: unknown; error?: { kind: string } }>;
  /** The next URL the app asks the system browser to open (it prints "Open in browser: <url>"). */
  nextOpened(): Promise<string>;
  /** Resolves at the next time the quick switcher asks main to close it ("Palette closed"). */
  nextPaletteClose(): Promise<void>;
}

/** How long the preview may take to print its URL line before the start counts as failed. */
const URL_LINE_TIMEOUT_MS = 30_000;
/** How long a preview gets to exit on SIGTERM before it is killed outright. */
const STOP_GRACE_MS = 10_000;

/** Stops a preview started by startPreview and waits until it has exited. */
export const stopPreview = (child: ChildProcess): Promise<void> => stopChild(child, STOP_GRACE_MS);

/**
 * Start `web-preview/cli.ts` for real, as `npm run web` does, and read the lines it prints. The
 * caller owns the child and must stopPreview() it; if the start fails, it is stopped here.
 */
export async function startPreview(
  emulatorUrl: string,
  extraArgs: string[] = [],
): Promise<{ child: ChildProcess; preview: Preview }> {
  const root = process.cwd();
  // Node itself with tsx's loader (as `npm run web` runs it, minus the wrapper), so stopPreview's
  // SIGTERM reaches the preview itself.
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      './web-preview/register-electron-stub.mjs',
      'web-preview/cli.ts',
      '--port',
      '0',
      '--refresh-ms',
      '500',
      ...extraArgs,
    ],
    {
      cwd: root,
      env: { ...process.env, PIECES_OS_URL: emulatorUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const opened: string[] = [];
  const waiters: ((url: string) => void)[] = [];
  let paletteCloses = 0;
  const closeWaiters: (() => void)[] = [];
  let timer: NodeJS.Timeout | undefined;
  const urlLine = new Promise<string>((resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `web preview printed no "Web preview on <url>" line within ${URL_LINE_TIMEOUT_MS / 1000} s: ${stderr}`,
          ),
        ),
      URL_LINE_TIMEOUT_MS,
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const preview = /^Web preview on (http:\/\/127\.0\.0\.1:\d+\/\?key=\S+)$/.exec(line);
      if (preview) resolve(preview[1]!);
      if (line === 'Palette closed') {
        const waiter = closeWaiters.shift();
        if (waiter) waiter();
        else paletteCloses++;
      }
      const open = /^Open in browser: (\S+)$/.exec(line);
      if (open) {
        const waiter = waiters.shift();
        if (waiter) waiter(open[1]!);
        else opened.push(open[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`web preview exited (${code}): ${stderr}`)));
    child.once('error', reject);
  });
  let url: string;
  try {
    url = await urlLine;
  } catch (err) {
    await stopPreview(child);
    throw err;
  } finally {
    clearTimeout(timer);
  }
  const u = new URL(url);
  const key = u.searchParams.get('key')!;
  const preview: Preview = {
    url,
    async invoke(channel, args) {
      const res = await fetch(`${u.origin}/__preview/invoke/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-preview-key': key },
        body: args === undefined ? '' : JSON.stringify(args),
      });
      return (await res.json()) as Awaited<ReturnType<Preview['invoke']>>;
    },
    nextOpened: () =>
      opened.length > 0
        ? Promise.resolve(opened.shift()!)
        : new Promise<string>((resolve) => waiters.push(resolve)),
    nextPaletteClose() {
      if (paletteCloses > 0) {
        paletteCloses--;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => closeWaiters.push(resolve));
    },
  };
  return { child, preview };
}

/** The `app` fixture of both browser suites: the window, loaded and connected. */
export async function openApp(
  { page, preview }: { page: Page; preview: Pick<Preview, 'url'> },
  use: (page: Page) => Promise<void>,
): Promise<void> {
  await page.goto(preview.url);
  await expect(page.getByRole('status').first()).toContainText('Connected');
  await use(page);
}

export const test = base.extend<{ emulator: Emulator; preview: Preview; app: Page }>({
  // eslint-disable-next-line no-empty-pattern
  emulator: async ({}, use) => {
    const emulator = await startEmulator({ port: 0, users: 1, seed: 3 });
    await use(emulator);
    await emulator.close();
  },
  preview: async ({ emulator }, use) => {
    const { child, preview } = await startPreview(emulator.url);
    // try/finally: a failing setup expect must not leave the preview running.
    try {
      // Two accounts signed in through the app's own sign-in path, Grace last (so active).
      for (const person of [PEOPLE.ada, PEOPLE.grace]) {
        const result = await preview.invoke('signIn', pastedToken(emulator.mintToken(person)));
        expect(result.ok, `sign in ${person.name}`).toBe(true);
      }
      await use(preview);
    } finally {
      await stopPreview(child);
    }
  },
  app: openApp,
});

export { expect };

export const accountRow = (page: Page, name: string) =>
  page.getByRole('list', { name: 'Accounts' }).getByRole('listitem').filter({ hasText: name });
