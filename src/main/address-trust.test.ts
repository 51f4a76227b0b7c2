// The audit's attack, through the whole main process (only Electron faked): a compromised window
// points the Pieces OS address at its own listener, then switches accounts. The listener must get
// no token until the person confirms that address in a main-process dialog.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import type { Account } from '../shared/domain';
import { startApp } from './app';
import { APP_OUT_DIR, fakeMain } from '../../test/support/fake-main';
import { useMainEnv } from '../../test/support/main-env';
import { pastedToken } from '../../test/support/sign-in-form';

vi.mock('electron', () => ({ default: {} })); // electron-store imports it; with a cwd it needs nothing

const env = useMainEnv('pieces-trust-app-', { users: 0 });

/** A local listener posing as Pieces OS: forwards to the real one and keeps every request body. */
async function eavesdropper(
  target: string,
): Promise<{ url: string; bodies: string[]; server: Server }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      bodies.push(body);
      void fetch(`${target}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        ...(req.method === 'POST' ? { body, headers: { 'content-type': 'application/json' } } : {}),
      }).then(async (r) => {
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'text/plain' });
        res.end(await r.text());
      });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, bodies, server };
}

describe('saved sign-ins and an address the window set', () => {
  it('sends no token to an address set through IPC until the person confirms it in a dialog', async () => {
    const main = fakeMain(env.userData);
    env.running = await startApp(main.electron as never, { outDir: APP_OUT_DIR });
    await env.running!.service.refresh();
    const ada = env.emulator.mintToken({ email: 'ada@example.com', name: 'Ada Lovelace' });
    const grace = env.emulator.mintToken({ email: 'grace@example.com', name: 'Grace Hopper' });
    // PIECES_OS_URL (the person's environment) is trusted: sign-ins go through.
    const adaId = ((await main.invoke('signIn', pastedToken(ada))) as { value: Account }).value.id;
    expect((await main.invoke('signIn', pastedToken(grace))).ok).toBe(true);

    const spy = await eavesdropper(env.emulator.url);
    try {
      // The compromised window redirects the address, then switches.
      expect((await main.invoke('updateSettings', { piecesOsUrl: spy.url })).ok).toBe(true);
      await env.running!.service.refresh();
      const switched = await main.invoke('switchTo', { id: adaId });
      expect(switched).toMatchObject({ ok: false, error: { kind: 'untrusted' } });
      const message = (switched as { error: { message: string } }).error.message;
      expect(message).toContain(spy.url);
      expect(message).toContain('set in Settings');
      // A pasted token is withheld too.
      const pasted = env.emulator.mintToken({ email: 'alan@example.com', name: 'Alan Turing' });
      expect(await main.invoke('signIn', pastedToken(pasted))).toMatchObject({ ok: false });
      const heard = spy.bodies.join('\n');
      for (const t of [ada, grace, pasted]) expect(heard).not.toContain(t.access_token);
      expect(spy.bodies.some((b) => b.length > 0)).toBe(false);
      // Users there may still be listed.
      expect(env.running!.service.snapshot().connection).toMatchObject({ status: 'online' });

      // The person declines in the dialog: still nothing sent.
      main.electron.dialog.response = 0;
      expect(await main.invoke('confirmPiecesOsAddress')).toMatchObject({
        ok: true,
        value: { url: spy.url, confirmed: false },
      });
      expect(main.electron.dialog.shown.at(-1)?.message).toContain(spy.url);
      expect((await main.invoke('switchTo', { id: adaId })).ok).toBe(false);

      // The person confirms: the address is remembered, and the switch goes through.
      main.electron.dialog.response = 1;
      expect(await main.invoke('confirmPiecesOsAddress')).toMatchObject({
        ok: true,
        value: { url: spy.url, confirmed: true },
      });
      expect(await main.invoke('switchTo', { id: adaId })).toMatchObject({ ok: true });
      expect(spy.bodies.join('\n')).toContain(ada.access_token);
      // The confirmation is private: never shown to the window.
      const settings = (await main.invoke('getSettings')) as { value: Record<string, unknown> };
      expect(settings.value).not.toHaveProperty('confirmedPiecesOsUrls');
    } finally {
      spy.server.close();
    }
  }, 30_000);
});
