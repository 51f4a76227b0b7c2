// A Chromium page showing the web preview (the built renderer, fed by the real account service)
// with the probe of page-probe.ts, and timing one event at a time: Chrome's own counters (CDP
// Performance.getMetrics) read before and after, the probe's record of the same event.
import { join } from 'node:path';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/chromium';
import { startWebPreview, type WebPreview } from '../../web-preview/server';
import type { EmulatorProcess } from '../emulator-process';
import type { Measure } from '../report';
import { median, summarize } from '../stats';
import { PAGE_PROBE, type ProbeRecord } from './page-probe';

const ROOT = join(__dirname, '..', '..');
/** The app window's default size (src/main/window/main-window.ts). */
export const VIEWPORT = { width: 880, height: 600 };

export type Metrics = Record<string, number>;

async function metrics(cdp: CDPSession): Promise<Metrics> {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

/** Milliseconds of `name` (Chrome reports seconds) between two readings. */
const deltaMs = (a: Metrics, b: Metrics, name: string) => ((b[name] ?? 0) - (a[name] ?? 0)) * 1000;

export interface EventSamples {
  cdpScript: number[];
  cdpTask: number[];
  cdpLayout: number[];
  cdpStyle: number[];
  probeScript: number[];
  toFrame: number[];
  painted: number[];
}

export const emptySamples = (): EventSamples => ({
  cdpScript: [],
  cdpTask: [],
  cdpLayout: [],
  cdpStyle: [],
  probeScript: [],
  toFrame: [],
  painted: [],
});

export const ms = (xs: number[]): Measure => ({ kind: 'samples', ...summarize(xs) });
export const num = (xs: number[]) => median(xs).toFixed(1);

/**
 * Times one event: `trigger` causes it and answers the page expression that resolves with the
 * probe's record of it once painted (records are kept, so waiting after the fact misses nothing).
 * Kept in `into` unless it is a warm-up.
 */
export async function timeEvent(
  page: Page,
  cdp: CDPSession,
  trigger: () => Promise<string>,
  into: EventSamples | null,
): Promise<ProbeRecord> {
  const m0 = await metrics(cdp);
  const rec = await page.evaluate<ProbeRecord>(await trigger());
  const m1 = await metrics(cdp);
  if (into) {
    into.cdpScript.push(deltaMs(m0, m1, 'ScriptDuration'));
    into.cdpTask.push(deltaMs(m0, m1, 'TaskDuration'));
    into.cdpLayout.push(deltaMs(m0, m1, 'LayoutDuration'));
    into.cdpStyle.push(deltaMs(m0, m1, 'RecalcStyleDuration'));
    into.probeScript.push(rec.scriptMs);
    into.toFrame.push(rec.toFrameMs);
    into.painted.push(rec.paintedMs);
  }
  return rec;
}

/**
 * Times one key press in the window's page, as the probe records its handling (the page's
 * `window.__bench.keys`). `into` null: a warm-up, not kept.
 */
export async function timeKeyPress(s: Session, key: string, into: EventSamples | null) {
  const index = await s.page.evaluate<number>('window.__bench.keys.length');
  await timeEvent(
    s.page,
    s.cdp,
    async () => {
      await s.page.keyboard.press(key);
      return `window.__bench.wait('keys', ${index})`;
    },
    into,
  );
}

export function breakdown(s: EventSamples): Record<string, Measure> {
  return {
    cdpTaskMs: ms(s.cdpTask),
    cdpLayoutMs: ms(s.cdpLayout),
    cdpRecalcStyleMs: ms(s.cdpStyle),
    probeScriptMs: ms(s.probeScript),
    probeToFrameStartMs: ms(s.toFrame),
    probePaintedMs: ms(s.painted),
  };
}

/** Debian's Chromium, headless, started as the e2e tests start it. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });

export interface Session {
  preview: WebPreview;
  page: Page;
  cdp: CDPSession;
  close(): Promise<void>;
}

export async function openWindow(
  browser: Browser,
  emu: EmulatorProcess,
  count: number,
  /** How long the first rows may take to show (100,000 accounts take a while on a busy machine). */
  shownTimeoutMs = 30_000,
): Promise<Session & { shownMs: number }> {
  const preview = await startWebPreview({
    rendererDir: join(ROOT, 'out', 'renderer'),
    piecesOsUrl: emu.url,
    port: 0,
    refreshIntervalMs: 3_600_000,
    // Decoding 100,000 users' list takes a while on a busy machine; the app's default is 4 s.
    requestTimeoutMs: count >= 100_000 ? 120_000 : 30_000,
  });
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    await page.addInitScript(PAGE_PROBE);
    const t0 = performance.now();
    await page.goto(preview.url);
    const first = page.locator(`[role="list"][aria-label="Accounts"] [aria-setsize="${count}"]`);
    await first.first().waitFor({ timeout: shownTimeoutMs });
    const shownMs = performance.now() - t0;
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    return {
      preview,
      page,
      cdp,
      shownMs,
      async close() {
        await context.close();
        await preview.close();
      },
    };
  } catch (err) {
    await context.close();
    await preview.close();
    throw err;
  }
}
