// Every operation against every fault the emulator can inject: a typed error, no lost tokens or
// settings, a consistent snapshot, no unhandled rejection, and a full recovery afterwards.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EndpointName, Fault } from '../emulator/server';
import type { AppError, ErrorKind, OAuthTokenInput } from '../src/shared/domain';
import { createHarness, type Harness } from './support/harness';
import {
  listedIds,
  snapshotProblems,
  trackUnhandled,
  typedErrorProblem,
} from './support/invariants';

vi.mock('electron', () => ({ default: {} })); // electron-store imports it; with a cwd it needs nothing

const NORMAL_TIMEOUT_MS = 2_000;
/** For the faults that must end in a timeout: far below their delays, far above a loopback answer. */
const SHORT_TIMEOUT_MS = 300;

type FaultName =
  | 'latency past the timeout'
  | '500 text'
  | '401'
  | '404'
  | '410'
  | 'connection reset'
  | 'server stopped'
  | 'malformed JSON'
  | 'missing required field'
  | 'HTML body'
  | 'slow trickled body';

interface FaultSpec {
  fault?: Fault;
  stopServer?: boolean;
  shortTimeout?: boolean;
  kind: ErrorKind;
  status?: number;
}

const FAULTS: Record<FaultName, FaultSpec> = {
  'latency past the timeout': { fault: { latencyMs: 1_500 }, shortTimeout: true, kind: 'timeout' },
  '500 text': {
    fault: { status: 500, body: 'Internal error: database is locked' },
    kind: 'http',
    status: 500,
  },
  '401': { fault: { status: 401, body: 'Not authenticated' }, kind: 'http', status: 401 },
  '404': { fault: { status: 404, body: 'User not found' }, kind: 'http', status: 404 },
  '410': { fault: { status: 410, body: 'User is gone' }, kind: 'http', status: 410 },
  'connection reset': { fault: { drop: true }, kind: 'unreachable' },
  'server stopped': { stopServer: true, kind: 'unreachable' },
  'malformed JSON': { fault: { malformedJson: true }, kind: 'bad-response' },
  'missing required field': { fault: { missingField: 'id' }, kind: 'bad-response' },
  'HTML body': { fault: { html: true }, kind: 'bad-response' },
  // 64 bytes every 400 ms: any body of two chunks or more outlasts the short timeout.
  'slow trickled body': { fault: { trickleMs: 400 }, shortTimeout: true, kind: 'timeout' },
};

type OpName = 'list' | 'details' | 'switch' | 'sign in' | 'sign out' | 'sign out all' | 'refresh';

interface Ctx {
  h: Harness;
  ada: string;
  grace: string;
}

/** What one operation returned: its error (if any), read the way the window would see it. */
type Outcome =
  | { ok: true }
  | { ok: false; error: AppError }
  | { ok: 'partial'; errors: AppError[]; signedOut: string[] };

interface OpSpec {
  /** The endpoint the fault is put on ('*': all of them). */
  target: EndpointName | '*';
  run(c: Ctx): Promise<Outcome>;
  /** An exclusive operation leaves its failure in the snapshot's lastError. */
  exclusive: boolean;
}

const LIN = { email: 'lin@example.com', name: 'Lin Qiao' };

const OPS: Record<OpName, OpSpec> = {
  // The window's "try again": lists users (the fault is on the list only).
  list: {
    target: 'listUsers',
    exclusive: false,
    run: async ({ h }) => {
      const r = await h.service.retryNow();
      return r.ok ? { ok: true } : { ok: false, error: r.error };
    },
  },
  details: {
    target: 'getUser',
    exclusive: false,
    run: async ({ h, grace }) => {
      const r = await h.service.details(grace);
      return r.ok ? { ok: true } : { ok: false, error: r.error };
    },
  },
  switch: {
    target: 'signIn',
    exclusive: true,
    run: async ({ h, grace }) => {
      const r = await h.service.switchTo(grace);
      return r.ok ? { ok: true } : { ok: false, error: r.error };
    },
  },
  'sign in': {
    target: 'signIn',
    exclusive: true,
    run: async ({ h }) => {
      const r = await h.service.signIn(h.emulator.mintToken(LIN));
      return r.ok ? { ok: true } : { ok: false, error: r.error };
    },
  },
  'sign out': {
    target: 'disconnect',
    exclusive: true,
    run: async ({ h, grace }) => {
      const r = await h.service.signOut(grace);
      return r.ok ? { ok: true } : { ok: false, error: r.error };
    },
  },
  'sign out all': {
    target: 'disconnect',
    exclusive: true,
    run: async ({ h }) => {
      const r = await h.service.signOutAll();
      if (!r.ok) return { ok: false, error: r.error };
      if (r.value.failed.length === 0) return { ok: true };
      return {
        ok: 'partial',
        errors: r.value.failed.map((f) => f.error),
        signedOut: r.value.signedOut,
      };
    },
  },
  // The background refresh (timer, window focus): every endpoint is faulty.
  refresh: {
    target: '*',
    exclusive: false,
    run: async ({ h }) => {
      const s = await h.service.refresh();
      return s.connection.status === 'offline'
        ? { ok: false, error: s.connection.error }
        : { ok: true };
    },
  },
};

/** A switch Pieces OS refuses the token for asks the person to sign in again. */
function expectedKind(op: OpName, fault: FaultName): { kind: ErrorKind; status?: number } {
  const spec = FAULTS[fault];
  if (op === 'switch' && fault === '401') return { kind: 'needs-sign-in', status: 401 };
  return spec.status === undefined ? { kind: spec.kind } : { kind: spec.kind, status: spec.status };
}

function tokenMap(h: Harness): Record<string, OAuthTokenInput | undefined> {
  return Object.fromEntries(h.vault.ids().map((id) => [id, h.vault.get(id)]));
}

const tally = { cases: 0, passed: 0, failed: [] as string[] };
let unhandled: ReturnType<typeof trackUnhandled>;

beforeAll(() => {
  unhandled = trackUnhandled();
});
afterAll(() => {
  unhandled.dispose();
  console.log(
    `fault matrix: ${tally.cases} cases, ${tally.passed} passed, ${tally.failed.length} failed` +
      (tally.failed.length ? `\n  failed: ${tally.failed.join('\n  failed: ')}` : ''),
  );
});

async function runCase(opName: OpName, faultName: FaultName): Promise<void> {
  const op = OPS[opName];
  const spec = FAULTS[faultName];
  const h = await createHarness({ users: 1, seed: 11, timeoutMs: NORMAL_TIMEOUT_MS });
  try {
    await h.service.start();
    const ada = (await h.signIn({ email: 'ada@example.com', name: 'Ada Lovelace' })).id;
    const grace = (await h.signIn({ email: 'grace@example.com', name: 'Grace Hopper' })).id;
    expect((await h.service.switchTo(ada)).ok).toBe(true);
    // A switch answers before the list refresh that follows it: let that land first.
    await h.service.idle();

    const filesBefore = h.files();
    const tokensBefore = tokenMap(h);
    const snapshotBefore = h.service.snapshot();
    const rejectionsBefore = unhandled.seen.length;

    if (spec.fault) h.emulator.setFaults({ [op.target]: spec.fault });
    if (spec.stopServer) await h.emulator.stop();
    if (spec.shortTimeout) h.client.setTimeout(SHORT_TIMEOUT_MS);
    const outcome = await op.run({ h, ada, grace });
    await unhandled.settle();
    const after = h.service.snapshot();

    // 1. A typed error of the expected kind.
    const expected = expectedKind(opName, faultName);
    if (outcome.ok === 'partial') {
      expect(outcome.errors.length).toBeGreaterThan(0);
      for (const e of outcome.errors) {
        expect(typedErrorProblem(e)).toBeNull();
        expect(e).toMatchObject(expected);
      }
    } else {
      expect(outcome.ok).toBe(false);
      const error = (outcome as { error: AppError }).error;
      expect(typedErrorProblem(error)).toBeNull();
      expect(error).toMatchObject(expected);
    }

    // 2. Tokens and settings as they were (404/410 included: a wrong server must not wipe them).
    const tokensAfter = tokenMap(h);
    if (outcome.ok === 'partial') {
      // Sign out all goes on past failures: whoever failed keeps their token.
      const failedIds = Object.keys(tokensBefore).filter((id) => !outcome.signedOut.includes(id));
      for (const id of failedIds) expect(tokensAfter[id]).toEqual(tokensBefore[id]);
      if (outcome.signedOut.length === 0) expect(h.files()).toEqual(filesBefore);
    } else {
      expect(tokensAfter).toEqual(tokensBefore);
      expect(h.files()).toEqual(filesBefore);
    }

    // 3. A consistent snapshot, with the failure where the window shows it.
    expect(snapshotProblems(after)).toEqual([]);
    expect(after.operation).toBeNull();
    if (op.exclusive && outcome.ok === false) {
      expect(after.lastError).toEqual({
        operation: expect.objectContaining({}),
        error: outcome.error,
      });
    }
    if (opName === 'details') expect(after).toBe(snapshotBefore);
    if (opName === 'list' || opName === 'refresh') {
      expect(after.connection).toMatchObject({ status: 'offline', error: expected });
      // Offline keeps what was known: every saved account is still there.
      for (const id of Object.keys(tokensBefore))
        expect(after.accounts.map((a) => a.id)).toContain(id);
    }

    // 4. No unhandled rejection, no overlapping requests.
    expect(unhandled.seen.slice(rejectionsBefore)).toEqual([]);
    expect(h.overlaps.violations).toEqual([]);

    // 5. Once the fault is gone, the app recovers and agrees with Pieces OS.
    h.emulator.clearFaults();
    if (spec.stopServer) await h.emulator.start();
    h.client.setTimeout(NORMAL_TIMEOUT_MS);
    const recovered = await h.service.retryNow();
    expect(recovered.ok).toBe(true);
    const s = h.service.snapshot();
    const listed = listedIds(s, h.emulator);
    expect(listed.app).toEqual(listed.emulator);
    expect(s.activeId).toBe(h.emulator.currentUserId());
    for (const id of h.vault.ids())
      expect(s.accounts.find((a) => a.id === id)?.hasToken).toBe(true);
    expect(snapshotProblems(s)).toEqual([]);
  } finally {
    await h.close();
  }
}

describe('fault matrix', () => {
  for (const opName of Object.keys(OPS) as OpName[]) {
    for (const faultName of Object.keys(FAULTS) as FaultName[]) {
      const expected = expectedKind(opName, faultName).kind;
      it(`${opName} × ${faultName} → ${expected}`, async () => {
        tally.cases++;
        try {
          await runCase(opName, faultName);
          tally.passed++;
        } catch (err) {
          tally.failed.push(`${opName} × ${faultName}`);
          throw err;
        }
      });
    }
  }
});
