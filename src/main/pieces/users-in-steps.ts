// A large user list decoded in steps, so the main process is never blocked for long: at 100,000
// users the body is about 155 MB, and one JSON.parse of it held the main thread (menus, IPC, the
// tray) for seconds. The body stays bytes; a scanner finds where the users of `"iterable": [...]`
// begin and end, and each step turns a slice of them into text, parses it and decodes it with the
// fast path (fast-path.ts), then yields to the event loop. A step is bounded in time: its size
// follows how long the last one took, so that on a busy machine steps get smaller, not longer.
//
// Safe by construction: the scanner only cuts the array at the commas between its elements, and
// JSON.parse checks every slice, so the steps accept exactly the bodies one JSON.parse would. For
// anything the scanner does not expect (a root that is not an object, `iterable` given twice or
// not as an array, a slice that does not parse, a user the fast path steps aside for) it gives up
// and the whole body takes the ordinary path (decoding.ts), which names the problem or salvages
// what it can: same answers, same errors, only not in steps.
import { performance } from 'node:perf_hooks';
import type { UserProfile } from '../../shared/domain';
import { decodeUsers } from './decoding';
import { isWireProfile } from './fast-path';
import { toUserProfile } from './mapping';
import { tellRepeatedIds, type Warn } from './salvage';

/** Bodies up to this size are decoded in one go: that is quick, and the steps would cost more. */
export const IN_STEPS_ABOVE_BYTES = 2 * 1024 * 1024;

/** What a step may take: its size is set from how long the last one took. */
const STEP_MS = 8;
/** The first step's size (some 80 users), and the bounds for the rest. */
const FIRST_STEP_BYTES = 128 * 1024;
const MIN_STEP_BYTES = 16 * 1024;
const MAX_STEP_BYTES = 1024 * 1024;

export interface StepOptions {
  /** Bytes per step, fixed (tests use small steps to cut bodies in many places); default: timed. */
  stepBytes?: number;
  /** How a step lets the event loop run; default: one turn (setImmediate). */
  pause?: () => Promise<void>;
  /** Milliseconds, to time the steps (tests pass a clock of their own). */
  now?: () => number;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * `Users` from `bytes`, as decodeUsers() would make it from the same body as text, in steps that
 * each block the thread only briefly.
 */
export async function decodeUsersInSteps(
  bytes: Buffer,
  what: string,
  where: string,
  warn: Warn,
  { stepBytes, pause = nextTurn, now = () => performance.now() }: StepOptions = {},
): Promise<UserProfile[]> {
  const size = stepBytes ? () => stepBytes : timedSteps();
  const users = await usersInSteps(bytes, size, pause, now);
  if (users) {
    // Repeated ids were left out step by step, as firstOfEachId does at once.
    if (users.repeated) tellRepeatedIds(warn);
    return users.list;
  }
  // Something the steps do not handle: the ordinary path decides, with its messages.
  return decodeUsers(bytes.toString('utf8'), what, where, warn);
}

// Bytes the scanner looks at. UTF-8 never uses bytes below 0x80 inside a multi-byte character,
// so these are always the characters they look like.
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const isSpace = (b: number | undefined) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * How many bytes the next step takes, told how long the last one took: the size that would
 * have taken STEP_MS at the last step's pace, at most twice the last size.
 */
type StepSize = (lastBytes?: number, lastMs?: number) => number;

function timedSteps(): StepSize {
  let size = FIRST_STEP_BYTES;
  return (lastBytes, lastMs) => {
    if (lastBytes !== undefined && lastMs !== undefined) {
      const paced = (lastBytes * STEP_MS) / Math.max(lastMs, 0.5);
      size = Math.round(Math.min(MAX_STEP_BYTES, 2 * size, Math.max(MIN_STEP_BYTES, paced)));
    }
    return size;
  };
}

/** The users so far: the first of each id, in order. */
interface Collected {
  list: UserProfile[];
  seen: Set<string>;
  repeated: boolean;
}

/** The decoded users, or undefined: give up, take the ordinary path. */
async function usersInSteps(
  buf: Buffer,
  stepBytes: StepSize,
  pause: () => Promise<void>,
  now: () => number,
): Promise<Collected | undefined> {
  const end = buf.length;
  const skip = (i: number) => {
    while (i < end && isSpace(buf[i])) i++;
    return i;
  };
  let i = skip(0);
  if (buf[i] !== OPEN_BRACE) return undefined;
  i = skip(i + 1);
  let users: Collected | undefined;
  let seenIterable = false;
  if (buf[i] === CLOSE_BRACE) i++;
  else {
    for (;;) {
      if (buf[i] !== QUOTE) return undefined;
      const keyEnd = stringEnd(buf, i);
      if (keyEnd < 0) return undefined;
      const key = parseSlice(buf, i, keyEnd);
      if (key === INVALID) return undefined;
      i = skip(keyEnd);
      if (buf[i] !== COLON) return undefined;
      i = skip(i + 1);
      if (key === 'iterable') {
        // JSON.parse keeps the last of a repeated key; rare enough to leave to it.
        if (seenIterable) return undefined;
        seenIterable = true;
        if (buf[i] !== OPEN_BRACKET) return undefined;
        const list = await arrayInSteps(buf, i, stepBytes, pause, now);
        if (!list) return undefined;
        users = list.users;
        i = list.end;
      } else {
        // Any other key: its value must be valid JSON; the app does not read it.
        const valueEnd = valueEndOf(buf, i);
        if (valueEnd < 0 || parseSlice(buf, i, valueEnd) === INVALID) return undefined;
        i = valueEnd;
      }
      i = skip(i);
      if (buf[i] === COMMA) i = skip(i + 1);
      else if (buf[i] === CLOSE_BRACE) {
        i++;
        break;
      } else return undefined;
    }
  }
  if (skip(i) !== end) return undefined;
  // No `iterable`, or a null one, the ordinary path maps to no users; a null one it decodes.
  return users ?? (seenIterable ? undefined : { list: [], seen: new Set(), repeated: false });
}

/** The elements of the array at `start`, decoded a step at a time; `end` is just past its `]`. */
async function arrayInSteps(
  buf: Buffer,
  start: number,
  stepBytes: StepSize,
  pause: () => Promise<void>,
  now: () => number,
): Promise<{ users: Collected; end: number } | undefined> {
  const users: Collected = { list: [], seen: new Set(), repeated: false };
  const end = buf.length;
  let i = start + 1;
  while (i < end && isSpace(buf[i])) i++;
  if (buf[i] === CLOSE_BRACKET) return { users, end: i + 1 };
  let stepStart = i;
  let size = stepBytes();
  // The step's time counts its scan too (it is part of what blocks).
  let began = now();
  for (;;) {
    // One element, then `,` (more follow) or `]` (the last).
    const elementEnd = valueEndOf(buf, i);
    if (elementEnd < 0) return undefined;
    i = elementEnd;
    while (i < end && isSpace(buf[i])) i++;
    const last = buf[i] === CLOSE_BRACKET;
    if (!last && buf[i] !== COMMA) return undefined;
    if (last || elementEnd - stepStart >= size) {
      if (!decodeStep(buf, stepStart, elementEnd, users)) return undefined;
      if (last) return { users, end: i + 1 };
      size = stepBytes(elementEnd - stepStart, now() - began);
      await pause();
      began = now();
      stepStart = i + 1;
    }
    i++;
    while (i < end && isSpace(buf[i])) i++;
  }
}

/**
 * Parses the elements in `buf[from, to)` as one array and appends their users, but for ids seen
 * before; false: give up.
 */
function decodeStep(buf: Buffer, from: number, to: number, into: Collected): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(`[${buf.toString('utf8', from, to)}]`);
  } catch {
    return false;
  }
  if (!Array.isArray(parsed)) return false;
  for (const u of parsed as unknown[]) {
    if (!isWireProfile(u)) return false;
    if (into.seen.has(u.id)) {
      into.repeated = true;
      continue;
    }
    into.seen.add(u.id);
    into.list.push(toUserProfile(u));
  }
  return true;
}

/** Just past the JSON value starting at `i` (its extent only; JSON.parse checks it), or -1. */
function valueEndOf(buf: Buffer, i: number): number {
  const end = buf.length;
  const first = buf[i];
  if (first === QUOTE) return stringEnd(buf, i);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    // A number, true, false or null: up to the next separator.
    while (i < end) {
      const b = buf[i];
      if (b === COMMA || b === CLOSE_BRACKET || b === CLOSE_BRACE || isSpace(b)) break;
      i++;
    }
    return i;
  }
  let depth = 0;
  while (i < end) {
    const b = buf[i]!;
    if (b === QUOTE) {
      i = stringEnd(buf, i);
      if (i < 0) return -1;
      continue;
    }
    if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
    else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}

/** Just past the closing quote of the string starting at `i`, or -1 if it never closes. */
function stringEnd(buf: Buffer, i: number): number {
  // A plain loop: most strings here are short, and a native call per string costs more.
  const end = buf.length;
  for (let at = i + 1; at < end; at++) {
    const b = buf[at];
    if (b === QUOTE) return at + 1;
    if (b === BACKSLASH) at++;
  }
  return -1;
}

const INVALID = Symbol('invalid JSON');

function parseSlice(buf: Buffer, from: number, to: number): unknown {
  try {
    return JSON.parse(buf.toString('utf8', from, to)) as unknown;
  } catch {
    return INVALID;
  }
}
