// A large list decoded in steps gives exactly what one decode of the whole body gives (the same
// users, or the same error), and lets the event loop run between steps.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/server';
import { usersInSteps, usersOfWhole } from '../../../test/support/users-decoded';
import { fullWireUser } from '../../../test/support/wire-fixtures';
import { createBaseUrlResolver } from './base-url';
import { createPiecesClient } from './client';
import { decodeUsersInSteps, IN_STEPS_ABOVE_BYTES } from './users-in-steps';

const WHAT = 'the user list';
const WHERE = 'GET /users';

const user = (i: number, extra: Record<string, unknown> = {}) => ({
  ...fullWireUser(`user-${i}`),
  name: `Ünïcødé “${i}” \\ "quoted" \u2028`,
  ...extra,
});

/** A body as a server might lay it out: spacing, other root keys, the list anywhere among them. */
const body = fc
  .record({
    count: fc.integer({ min: 0, max: 12 }),
    repeatAt: fc.option(fc.nat(11), { nil: undefined }),
    indent: fc.constantFrom(undefined, 0, 1, 2, '\t'),
    before: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), {
      maxKeys: 2,
    }),
    after: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), {
      maxKeys: 2,
    }),
  })
  .map(({ count, repeatAt, indent, before, after }) => {
    const iterable = Array.from({ length: count }, (_, i) => user(i));
    // The same id twice: the first is kept, and said once.
    if (repeatAt !== undefined && repeatAt < count)
      iterable.push(user(repeatAt, { name: 'Again' }));
    delete before.iterable;
    delete after.iterable;
    return JSON.stringify({ ...before, iterable, ...after }, null, indent);
  });

describe('decodeUsersInSteps', () => {
  it('gives what one decode gives, in steps, for well-formed bodies cut anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.integer({ min: 1, max: 4000 }), async (text, stepBytes) => {
        const { result, pauses } = await usersInSteps(Buffer.from(text), stepBytes);
        const expected = usersOfWhole(text);
        expect(expected.users).toBeDefined();
        expect(result).toStrictEqual(expected);
        // Steps really were taken (not the whole-body fallback) when the list spans several.
        if (expected.users!.length > 1 && stepBytes < 500) expect(pauses).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same users or the same error for bodies spoiled anywhere', async () => {
    const spoiled = fc
      .tuple(body, fc.nat(), fc.constantFrom('', ',', ']', '}', '"', '\\', '[', '{', ' ', 'x', '1'))
      .map(([text, at, what]) => {
        const cut = at % (text.length + 1);
        // Insert, or replace one character, or cut the body short.
        return at % 3 === 0
          ? text.slice(0, cut) + what + text.slice(cut)
          : at % 3 === 1
            ? text.slice(0, cut) + what + text.slice(cut + 1)
            : text.slice(0, cut);
      });
    await fc.assert(
      fc.asyncProperty(spoiled, fc.integer({ min: 1, max: 3000 }), async (text, stepBytes) => {
        const { result } = await usersInSteps(Buffer.from(text), stepBytes);
        expect(result).toStrictEqual(usersOfWhole(text));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves an odd user to the ordinary path: salvaged and warned about, not failed', async () => {
    const bad = user(1, { auth0: { global_id: 42 } });
    const text = JSON.stringify({ iterable: [user(0), bad, user(2)] });
    const { result } = await usersInSteps(Buffer.from(text), 10);
    expect(result).toStrictEqual(usersOfWhole(text));
    expect(result.warned).toEqual(['auth0.global_id']);
  });

  it('says what is wrong, as the ordinary path does, for a body that is not JSON or HTML', async () => {
    for (const text of ['', '  ', '<html>', '{"iterable": [', '\uFEFF{"iterable":[]}', 'null']) {
      const { result } = await usersInSteps(Buffer.from(text), 10);
      expect(result).toStrictEqual(usersOfWhole(text));
    }
  });
});

describe('steps bounded in time', () => {
  /** Decodes `text` with the default, timed steps, each step taking `msPerStep` on a fake clock. */
  async function timed(text: string, msPerStep: number) {
    let clock = 0;
    let pauses = 0;
    const users = await decodeUsersInSteps(Buffer.from(text), WHAT, WHERE, () => undefined, {
      pause: async () => void pauses++,
      // Read twice per step (its start and its end): half the step's time each.
      now: () => (clock += msPerStep / 2),
    });
    return { users, pauses };
  }

  it('take smaller steps when steps take long, larger when they are quick, with the same result', async () => {
    const text = JSON.stringify({ iterable: Array.from({ length: 3000 }, (_, i) => user(i)) });
    const expected = usersOfWhole(text).users;
    const slow = await timed(text, 200);
    const quick = await timed(text, 0.1);
    expect(slow.users).toStrictEqual(expected);
    expect(quick.users).toStrictEqual(expected);
    // Slow steps shrink to the smallest size; quick ones grow (the body is about 3 MB).
    expect(slow.pauses).toBeGreaterThan(Buffer.byteLength(text) / (32 * 1024));
    expect(quick.pauses).toBeLessThan(slow.pauses / 4);
    expect(quick.pauses).toBeGreaterThan(0);
  });
});

describe('listUsers with a list too large to decode in one go', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ users: 0 });
  });
  afterAll(() => emu.close());

  it('decodes it in steps that let the event loop run, and gives the list', async () => {
    const iterable = Array.from({ length: 2000 }, (_, i) => user(i));
    const text = JSON.stringify({ iterable });
    expect(Buffer.byteLength(text)).toBeGreaterThan(IN_STEPS_ABOVE_BYTES);
    emu.setFaults({ listUsers: { status: 200, body: text } });
    let pauses = 0;
    const client = createPiecesClient({
      resolver: createBaseUrlResolver({ env: { PIECES_OS_URL: emu.url } }),
      pause: () => new Promise((resolve) => setImmediate(() => resolve(void pauses++))),
    });
    const users = await client.listUsers();
    expect(users).toStrictEqual(usersOfWhole(text).users);
    // Several steps for the decode, each followed by a turn of the event loop.
    expect(pauses).toBeGreaterThan(2);
    // Unchanged bytes: the same array, undecoded, without a step (compared as they arrived).
    pauses = 0;
    expect(await client.listUsers()).toBe(users);
    expect(pauses).toBe(0);
  });

  it('decodes a small list in one go', async () => {
    emu.setFaults({ listUsers: { status: 200, body: JSON.stringify({ iterable: [user(0)] }) } });
    let pauses = 0;
    const client = createPiecesClient({
      resolver: createBaseUrlResolver({ env: { PIECES_OS_URL: emu.url } }),
      pause: async () => void pauses++,
    });
    expect((await client.listUsers()).map((u) => u.id)).toEqual(['user-0']);
    expect(pauses).toBe(0);
  });
});
