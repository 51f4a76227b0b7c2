// Bad settings, bad server answers and bad IPC input never crash the main process. The whole main
// process (Electron faked) starts on a damaged profile against a hostile server, takes garbage
// over IPC, and keeps running: typed errors, nothing polluted, and it recovers once a real Pieces
// OS is configured. (src/main/app.test.ts covers each of the first two on its own.)
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/server';
import type { RunningApp } from '../src/main/app';
import { INVOKE_CHANNELS, ipcEvent } from '../src/shared/contract';
import type { AppError, Result, SignOutAllReport } from '../src/shared/domain';
import { isPatch, type StateUpdate } from '../src/shared/state-patch';
import { fakeMain } from './support/fake-main';
import { UUID, garbage } from './support/garbage';
import { snapshotProblems, trackUnhandled, typedErrorProblem } from './support/invariants';
import { pastedToken } from './support/sign-in-form';

vi.mock('electron', () => ({ default: {} }));

const OTHER = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

/** Answers every request with the next of these, in turn: each something a client must survive. */
const HOSTILE: ((req: IncomingMessage, res: ServerResponse) => void)[] = [
  (_q, r) =>
    r
      .writeHead(200, { 'content-type': 'application/json' })
      .end(
        '{"iterable":[{"id":42,"__proto__":{"polluted":true}}],"constructor":{"prototype":{"polluted":true}}}',
      ),
  (_q, r) =>
    r
      .writeHead(200, { 'content-type': 'application/json' })
      .end(`{"iterable":${'['.repeat(200_000)}${']'.repeat(200_000)}}`),
  (_q, r) =>
    r
      .writeHead(200, { 'content-type': 'application/json' })
      .end(`{"iterable":[{"id":"${'A'.repeat(4_000_000)}"}]}`),
  (_q, r) =>
    r
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<html><body><script>alert(1)</script>Captive portal</body></html>'),
  (_q, r) => r.writeHead(204).end(),
  (_q, r) => r.writeHead(302, { location: 'https://evil.example/steal' }).end(),
  // Not HTTP at all.
  (q) => q.socket.end('SSH-2.0-OpenSSH_9.0\r\n\r\n'),
  // A body shorter than promised, then the connection closes.
  (_q, r) => {
    r.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
    r.write('{"iterable":[');
    r.socket?.destroy();
  },
  (_q, r) =>
    r
      .writeHead(200, { 'content-type': 'application/json' })
      .end(Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x7d])),
  (_q, r) => r.writeHead(200, { 'content-type': 'application/json' }).end('null'),
  (_q, r) => r.writeHead(200, { 'content-type': 'application/json' }).end('1e999'),
  (_q, r) =>
    r.writeHead(500, { 'content-type': 'text/plain' }).end(`${'stack trace '.repeat(50_000)}`),
  (_q, r) =>
    r
      .writeHead(401, { 'content-type': 'application/json' })
      .end('{"error":"unauthorized","access_token":"leaked-by-server"}'),
  (_q, r) =>
    r.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        iterable: Array.from({ length: 5_000 }, (_, i) => ({
          id: `not-a-uuid-${i}`,
          aesthetics: 7,
        })),
      }),
    ),
];

let userData: string;
let emulator: Emulator;
let hostile: Server;
let hostileUrl: string;
let running: RunningApp | null = null;
const savedEnv = process.env.PIECES_OS_URL;

beforeEach(async () => {
  userData = mkdtempSync(join(tmpdir(), 'pieces-resilience-'));
  emulator = await startEmulator({ users: 2, seed: 9 });
  let n = 0;
  hostile = createServer((req, res) => {
    req.resume();
    HOSTILE[n++ % HOSTILE.length]!(req, res);
  });
  await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', () => r()));
  hostileUrl = `http://127.0.0.1:${(hostile.address() as { port: number }).port}`;
  process.env.PIECES_OS_URL = hostileUrl;
});

afterEach(async () => {
  running?.service.stop();
  running = null;
  hostile.closeAllConnections();
  await new Promise((r) => hostile.close(r));
  await emulator.close();
  rmSync(userData, { recursive: true, force: true });
  if (savedEnv === undefined) delete process.env.PIECES_OS_URL;
  else process.env.PIECES_OS_URL = savedEnv;
});

/** A damaged profile: settings that are not JSON, a vault with hostile and unreadable entries, a log that cannot be written. */
function damageProfile(): void {
  writeFileSync(
    join(userData, 'settings.json'),
    Buffer.from([0x00, 0xff, 0x7b, 0x22, 0x74, 0x68, 0x65, 0x6d, 0x65, 0x22, 0x3a, 0x0a]),
  );
  const plain = {
    encoding: 'plain',
    token: { access_token: 'x-planted-token', token_type: 'Bearer', expires_in: 1 },
  };
  writeFileSync(
    join(userData, 'tokens.json'),
    `{"version":1,"tokens":{"__proto__":${JSON.stringify(plain)},"../../etc/passwd":${JSON.stringify(plain)},` +
      `"${UUID}":{"encoding":"safeStorage","data":"%%% not base64 %%%"},"${OTHER}":{"encoding":"plain","token":{"access_token":42}}}}`,
  );
  // The log path is taken by a folder: logging must fail quietly.
  mkdirSync(join(userData, 'main.log'));
}

const PERMITTED = new Set([
  'unreachable',
  'timeout',
  'http',
  'bad-response',
  'invalid-input',
  'needs-sign-in',
  'busy',
]);

describe('the main process on a damaged profile and a hostile server', () => {
  // The whole main process through hundreds of requests: seconds alone, many more beside other
  // work on 2 shared cores (15 s ran out there), so a wider bound; it waits for nothing but answers.
  it(
    'keeps running: typed errors, garbage IPC refused, nothing polluted, then recovers',
    {
      timeout: 60_000,
    },
    async () => {
      damageProfile();
      const unhandled = trackUnhandled();
      const uncaught: unknown[] = [];
      const onUncaught = (e: unknown) => void uncaught.push(e);
      process.on('uncaughtExceptionMonitor', onUncaught);
      try {
        const main = fakeMain(userData);
        running = await main.start();

        // Started: the window and the hidden quick switcher, every channel, a tray, and notices
        // for the damaged files.
        expect(main.windows).toHaveLength(2);
        expect(main.handlers.size).toBe(INVOKE_CHANNELS.length);
        expect(main.tray.trays).toHaveLength(1);
        const first = running.service.snapshot();
        expect(first.notices.map((n) => n.id)).toEqual(
          expect.arrayContaining(['settings-0', 'tokens-0']),
        );
        // Ids are data (any id Pieces OS may send): "__proto__" and "../../etc/passwd" are just
        // saved sign-ins by those ids, kept in Maps, touching no prototype and no path.
        expect(first.accounts.map((a) => a.id)).toEqual(
          expect.arrayContaining(['__proto__', '../../etc/passwd']),
        );
        expect(Object.keys(Object.prototype)).toEqual([]);

        // Every hostile answer, through every kind of request: a typed error each time. None of
        // the answers is a valid user list or user, so every operation that needs one must fail:
        // an ok answer here means the app believed the hostile server.
        const errors: string[] = [];
        const checkError = (what: string, error: AppError) => {
          const why = typedErrorProblem(error);
          if (why || !PERMITTED.has(error.kind))
            errors.push(`${what}: ${why ?? error.kind} ${error.message}`);
        };
        const expectFailure = (what: string, r: Result<unknown>) => {
          if (r.ok) errors.push(`${what}: answered ok against the hostile server`);
          else checkError(what, r.error);
        };
        for (let i = 0; i < HOSTILE.length; i++) {
          expectFailure('retryConnection', await main.invoke('retryConnection'));
          expectFailure('getDetails', await main.invoke('getDetails', { id: UUID }));
        }
        const token = {
          access_token: 'a-real-looking-token',
          token_type: 'Bearer' as const,
          expires_in: 3600,
        };
        for (let i = 0; i < 3; i++) {
          expectFailure('signIn', await main.invoke('signIn', pastedToken(token)));
          expectFailure('switchTo', await main.invoke('switchTo', { id: UUID }));
          expectFailure('signOut', await main.invoke('signOut', { id: UUID }));
          // Sign out of all answers ok with a report (failures go in it): but no disconnect can
          // succeed here, so it must sign out of nobody, and every failure in it must be typed.
          const all = await main.invoke('signOutAll');
          if (!all.ok) checkError('signOutAll', all.error);
          else {
            const report = all.value as SignOutAllReport;
            if (report.signedOut.length > 0)
              errors.push(
                `signOutAll: signed out ${report.signedOut.length} against the hostile server`,
              );
            for (const f of report.failed) checkError('signOutAll (report)', f.error);
          }
        }
        expect(errors).toEqual([]);
        const afterServer = running.service.snapshot();
        expect(snapshotProblems(afterServer)).toEqual([]);
        expect(afterServer.connection.status).toBe('offline');

        // Garbage over IPC from the app's own window: refused, and nothing changes.
        const settingsBefore = readFileSync(join(userData, 'settings.json'), 'utf8');
        const stateBefore = running.service.snapshot();
        let refused = 0;
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...INVOKE_CHANNELS), garbage, async (channel, raw) => {
            const r = await main.invoke(channel, raw);
            expect(r).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
            refused++;
          }),
          { numRuns: 200 },
        );
        // And from anywhere else: forbidden.
        for (const channel of INVOKE_CHANNELS) {
          const r = await main.invokeAs(
            { sender: {}, senderFrame: { url: 'https://evil.example/' } },
            channel,
            undefined,
          );
          expect(r).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
        }
        expect(running.service.snapshot()).toBe(stateBefore);
        expect(readFileSync(join(userData, 'settings.json'), 'utf8')).toBe(settingsBefore);

        // Nothing crashed, nothing leaked into Object.prototype.
        await unhandled.settle();
        expect(unhandled.seen).toEqual([]);
        expect(uncaught).toEqual([]);
        expect(Object.keys(Object.prototype)).toEqual([]);
        expect(main.electron.app.quit).not.toHaveBeenCalled();
        expect(main.electron.app.exit).not.toHaveBeenCalled();

        // Still running: pointed at a real Pieces OS in the settings, it comes online and works.
        const update = await main.invoke('updateSettings', { piecesOsUrl: emulator.url });
        expect(update.ok).toBe(true);
        const retried = await main.invoke('retryConnection');
        expect(retried).toMatchObject({
          ok: true,
          value: { connection: { status: 'online', url: emulator.url } },
        });
        // An address from Settings gets saved sign-ins once the person confirmed it in the dialog.
        main.electron.dialog.response = 1;
        expect(await main.invoke('confirmPiecesOsAddress')).toMatchObject({
          ok: true,
          value: { url: emulator.url, confirmed: true },
        });
        const signedIn = await main.invoke(
          'signIn',
          pastedToken(emulator.mintToken({ email: 'ada@example.com', name: 'Ada' })),
        );
        expect(signedIn).toMatchObject({ ok: true, value: { displayName: 'Ada', hasToken: true } });
        // The window was told (main pushes what changed: a patch names the accounts it changed).
        const told = main.sent
          .filter(([name]) => name === ipcEvent('state'))
          .flatMap(([, u]) => {
            const update = u as StateUpdate;
            return isPatch(update) ? update.changed : update.accounts;
          });
        expect(told.map((a) => a.displayName)).toContain('Ada');
        // The damaged files were kept aside, and the settings file is sound again.
        expect(readdirSync(userData).some((f) => f.startsWith('settings.json.bak-'))).toBe(true);
        expect(JSON.parse(readFileSync(join(userData, 'settings.json'), 'utf8'))).toMatchObject({
          piecesOsUrl: emulator.url,
        });
        console.log(
          `main resilience: ${HOSTILE.length} hostile answers, ${refused} garbage IPC calls refused, app running`,
        );
      } finally {
        process.off('uncaughtExceptionMonitor', onUncaught);
        unhandled.dispose();
      }
    },
  );
});
