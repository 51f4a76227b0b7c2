import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/server';
import { watchListeners } from '../test/support/bound-address';
import { startWebPreview, type WebPreview } from './server';

vi.mock('electron', () => ({ default: {} }));

let emulator: Emulator;
let preview: WebPreview;
let parentDir: string;
let rendererDir: string;
let origin: string;
let key: string;
/** The address the preview's socket is bound to, read from the socket itself. */
let boundAddress: string | undefined;

beforeAll(async () => {
  // The renderer folder and a secret beside it share one temp parent, so the traversal test
  // has a real file to reach for and nothing is left behind in the shared temp folder.
  parentDir = mkdtempSync(join(tmpdir(), 'preview-test-'));
  rendererDir = join(parentDir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(
    join(rendererDir, 'index.html'),
    '<html><head><title>t</title></head><body></body></html>',
  );
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(parentDir, 'outside-secret.txt'), 'secret');
  emulator = await startEmulator({ users: 1 });
  const listeners = watchListeners();
  try {
    preview = await startWebPreview({ rendererDir, piecesOsUrl: emulator.url });
    boundAddress = listeners.boundAddress(preview.port);
  } finally {
    listeners.restore();
  }
  const u = new URL(preview.url);
  origin = u.origin;
  key = u.searchParams.get('key')!;
});

afterAll(async () => {
  await preview.close();
  await emulator.close();
  rmSync(parentDir, { recursive: true, force: true });
});

/** A raw request, so the Host and Origin headers are what the test says (fetch forbids setting them). */
function raw(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  const u = new URL(origin);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('web preview server', () => {
  it('binds 127.0.0.1 (the socket itself) and prints a URL with a long random key', () => {
    expect(boundAddress).toBe('127.0.0.1');
    expect(preview.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?key=[\w-]{32}$/);
  });

  it('serves the page only with the key, with the bridge script injected before the app', async () => {
    expect((await fetch(`${origin}/`)).status).toBe(403);
    const page = await fetch(preview.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<head>\s*<script src="\/__preview\/bridge\.js"/);
  });

  it('runs the real handlers: a valid call answers state, a malformed one invalid-input', async () => {
    const call = (channel: string, body: string, k = key) =>
      fetch(`${origin}/__preview/invoke/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-preview-key': k },
        body,
      });
    const state = (await (await call('getState', '')).json()) as {
      ok: boolean;
      value: { accounts: unknown[] };
    };
    expect(state.ok).toBe(true);
    expect(state.value.accounts).toHaveLength(1);
    const bad = await (await call('switchTo', '{"id":".."}')).json();
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    const notJson = await (await call('switchTo', '{oops')).json();
    expect(notJson).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    expect((await call('getState', '', 'wrong-key')).status).toBe(403);
  });

  it('shows the address it was started with as overriding the setting, and never saves it', async () => {
    const call = (channel: string, body: string) =>
      fetch(`${origin}/__preview/invoke/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-preview-key': key },
        body,
      }).then((r) => r.json() as Promise<{ ok: boolean; value?: Record<string, unknown> }>);
    const settings = await call('getSettings', '');
    expect(settings.value).toMatchObject({ piecesOsUrl: null, piecesOsUrlOverride: emulator.url });
    // Read-only: main refuses it as a change.
    const refused = await call('updateSettings', JSON.stringify({ piecesOsUrlOverride: 'x' }));
    expect(refused.ok).toBe(false);
  });

  it('refuses requests from another origin or another Host name (DNS rebinding)', async () => {
    const headers = { 'content-type': 'application/json', 'x-preview-key': key };
    const u = new URL(origin);
    const fromEvil = await raw('/__preview/invoke/getState', {
      method: 'POST',
      headers: { ...headers, host: u.host, origin: 'https://evil.example' },
      body: '',
    });
    expect(fromEvil.status).toBe(403);
    const rebound = await raw('/__preview/invoke/getState', {
      method: 'POST',
      headers: { ...headers, host: `evil.example:${u.port}` },
      body: '',
    });
    expect(rebound.status).toBe(403);
  });

  it('serves renderer assets but nothing outside the renderer folder', async () => {
    expect((await fetch(`${origin}/assets/app.js`)).status).toBe(200);
    const u = new URL(origin);
    for (const path of [
      '/../outside-secret.txt',
      '/assets/../../outside-secret.txt',
      '/%2e%2e/outside-secret.txt',
    ]) {
      const res = await raw(path, { headers: { host: u.host } });
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('secret');
    }
  });
});
