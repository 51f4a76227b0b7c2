// What decoding in steps accepts, refuses and how it steps, one rule at a time: a body one
// JSON.parse refuses is refused (never decoded by the scanner), a body laid out with any JSON
// spacing is still decoded in steps (not left whole to the ordinary path, which would block), the
// steps yield to the event loop, and timed steps keep to their bounds. Bodies are real bytes;
// users-in-steps.test.ts has the properties over random bodies.
import { describe, expect, it } from 'vitest';
import { usersInSteps, usersOfWhole } from '../../../test/support/users-decoded';
import { fullWireUser } from '../../../test/support/wire-fixtures';
import { decodeUsersInSteps } from './users-in-steps';

const WHAT = 'the user list';
const WHERE = 'GET /users';

const inSteps = (text: string, stepBytes = 1) => usersInSteps(Buffer.from(text), stepBytes);

const user = (i: number) => JSON.stringify(fullWireUser(`user-${i}`));
const three = [user(0), user(1), user(2)];

describe('a body one decode refuses is refused in steps too', () => {
  // Each is the same as a good body but for one spot the scanner must not read past.
  it.each([
    ['a root that does not open with {', `["iterable":[${three}]}`],
    ['another key whose value is not JSON', `{"count":tru,"iterable":[${three}]}`],
    ['a stray character instead of a comma between keys', `{"count":1 ;"iterable":[${three}]}`],
    ['a stray character instead of the closing }', `{"iterable":[${three}]X`],
  ])('%s', async (_, text) => {
    const expected = usersOfWhole(text);
    expect(expected.error).toMatch(/GET \/users/);
    const { result } = await inSteps(text);
    expect(result).toStrictEqual(expected);
  });
});

describe('any JSON spacing is still decoded in steps', () => {
  // Steps of one byte: each user is a step of its own, with a pause between each two. Had the
  // scanner given up, the ordinary path would give the same users, but in one blocking go.
  it.each([
    ['tabs between the tokens', `{\t"iterable"\t:\t[\t${three.join('\t,\t')}\t]\t}`],
    ['Windows line ends (CR LF)', `{\r\n"iterable":\r\n[\r\n${three.join(',\r\n')}\r\n]\r\n}`],
    ['spaces before the commas between users', `{"iterable":[${three.join(' ,')}]}`],
    ['newlines after the commas between users', `{"iterable":[\n${three.join(',\n  ')}\n]}`],
    ['a number just before a comma', `{"count":3,"iterable":[${three}]}`],
    ['a string with spaces and commas in another key', `{"note":"a, b } ]","iterable":[${three}]}`],
  ])('%s', async (_, text) => {
    const { result, pauses } = await inSteps(text);
    expect(result).toStrictEqual(usersOfWhole(text));
    expect(result.users?.map((u) => u.id)).toEqual(['user-0', 'user-1', 'user-2']);
    expect(pauses).toBe(2);
  });
});

describe('steps of a given size', () => {
  it('end at the first user that reaches the size', async () => {
    // All three users are the same length: a step of exactly that length holds one user.
    expect(new Set(three.map((u) => u.length)).size).toBe(1);
    const text = `{"iterable":[${three}]}`;
    const { result, pauses } = await inSteps(text, Buffer.byteLength(three[0]!));
    expect(result).toStrictEqual(usersOfWhole(text));
    expect(pauses).toBe(2);
    // One byte more, and a step holds two users: one pause.
    expect((await inSteps(text, Buffer.byteLength(three[0]!) + 1)).pauses).toBe(1);
  });
});

describe('the steps let the event loop run', () => {
  it('by default, a turn of the event loop between steps', async () => {
    const text = JSON.stringify({ iterable: [0, 1, 2].map((i) => fullWireUser(`user-${i}`)) });
    // Queued before the decode starts: it runs only if a step gives the event loop a turn.
    let turned = false;
    setImmediate(() => (turned = true));
    const users = await decodeUsersInSteps(Buffer.from(text), WHAT, WHERE, () => undefined, {
      stepBytes: 1,
    });
    expect(users).toStrictEqual(usersOfWhole(text).users);
    expect(turned).toBe(true);
  });
});

describe('timed steps keep to their bounds', () => {
  // About 3.8 MB: 1600 users of some 2.4 KB each.
  const text = JSON.stringify({
    iterable: Array.from({ length: 1600 }, (_, i) => fullWireUser(`user-${i}`)),
  });
  const bytes = Buffer.byteLength(text);
  const KB = 1024;

  /** Decodes `text` with timed steps, each taking `msPerStep` on a fake clock. */
  async function timed(msPerStep: number) {
    let clock = 0;
    let pauses = 0;
    const users = await decodeUsersInSteps(Buffer.from(text), WHAT, WHERE, () => undefined, {
      pause: async () => void pauses++,
      // Read at a step's start and at its end, with no other read between: a step's time.
      now: () => (clock += msPerStep),
    });
    expect(users).toStrictEqual(usersOfWhole(text).users);
    return pauses;
  }

  it('keep the first size (128 KB) while each step takes the 8 ms aimed at', async () => {
    const pauses = await timed(8);
    // Each step is 128 KB and at most one user more, so it stays at that size.
    expect(pauses).toBeGreaterThanOrEqual(Math.floor(bytes / (131 * KB)) - 1);
    expect(pauses).toBeLessThanOrEqual(Math.ceil(bytes / (128 * KB)));
  });

  it('shrink to no less than 16 KB when every step takes far too long', async () => {
    const pauses = await timed(1000);
    expect(pauses).toBeGreaterThanOrEqual(Math.floor(bytes / (19 * KB)) - 1);
    expect(pauses).toBeLessThanOrEqual(Math.ceil(bytes / (16 * KB)));
  });

  it('grow by doubling, up to 1 MB, when steps are quick', async () => {
    // 128 KB, 256 KB, 512 KB, then 1 MB each (a user more each): the 3.8 MB take six steps.
    expect(await timed(0)).toBe(5);
  });
});
