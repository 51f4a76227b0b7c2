// Identical response bytes skip decoding: in isolation, and through the client against the emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/server';
import { createBaseUrlResolver } from './base-url';
import { createPiecesClient } from './client';
import { sameAnswer } from './same-answer';

describe('sameAnswer', () => {
  const counting = () => {
    let calls = 0;
    return {
      calls: () => calls,
      decode: (text: string) => () => {
        calls++;
        return { text };
      },
    };
  };

  it('reuses the value for identical bytes and decodes different ones', () => {
    const cache = sameAnswer<{ text: string }>();
    const c = counting();
    const first = cache.decode(Buffer.from('[1,2]'), c.decode('a'));
    expect(cache.decode(Buffer.from('[1,2]'), c.decode('b'))).toBe(first);
    // Same length, other bytes.
    expect(cache.decode(Buffer.from('[1,3]'), c.decode('c')).text).toBe('c');
    expect(c.calls()).toBe(2);
  });

  it('keeps a body up to the cap as bytes, itself when it owns its memory, and knows it again', () => {
    const cache = sameAnswer<{ text: string }>({ keepBytesUpTo: 64 * 1024 });
    const c = counting();
    const own = Buffer.alloc(32 * 1024, 'a');
    const first = cache.decode(own, c.decode('a'));
    // The transport's `sameAs`: the very Buffer, not a copy (a large body is not copied).
    expect(cache.bytes()).toBe(own);
    expect(cache.decode(own, c.decode('b'))).toBe(first);
    expect(cache.decode(Buffer.from(own), c.decode('b'))).toBe(first);
    expect(c.calls()).toBe(1);
    // A view into a larger buffer is copied, so the larger one is not kept alive.
    const large = Buffer.alloc(16 * 1024, ' ');
    large.write('[1,2]', 100);
    const view = large.subarray(100, 105);
    cache.decode(view, c.decode('v'));
    expect(cache.bytes()).not.toBe(view);
    expect(cache.bytes()?.buffer).not.toBe(large.buffer);
    expect(cache.bytes()?.toString()).toBe('[1,2]');
  });

  it('compares bodies above the cap by digest, with the same outcome, and keeps no bytes', () => {
    const cache = sameAnswer<{ text: string }>({ keepBytesUpTo: 1024 });
    const c = counting();
    const big = Buffer.alloc(3 * 1024 * 1024, 'a');
    const first = cache.decode(big, c.decode('a'));
    expect(cache.bytes()).toBeUndefined();
    expect(cache.decode(Buffer.from(big), c.decode('b'))).toBe(first);
    const changed = Buffer.from(big);
    changed[changed.length - 1] = 'b'.charCodeAt(0);
    expect(cache.decode(changed, c.decode('c')).text).toBe('c');
    expect(c.calls()).toBe(2);
  });

  it('compares a body above the cap decoded in steps by a digest taken in steps, with the same outcome', async () => {
    const cache = sameAnswer<{ text: string }>({ keepBytesUpTo: 1024 * 1024 });
    let pauses = 0;
    const pause = async () => void pauses++;
    const decode = (text: string) => async () => ({ text });
    const big = Buffer.alloc(9 * 1024 * 1024, 'a');
    const first = await cache.decodeInSteps(big, decode('a'), pause);
    expect(pauses).toBeGreaterThan(1);
    expect(await cache.decodeInSteps(Buffer.from(big), decode('b'), pause)).toBe(first);
    const changed = Buffer.from(big);
    changed[0] = 'b'.charCodeAt(0);
    expect((await cache.decodeInSteps(changed, decode('c'), pause)).text).toBe('c');
    // A body under the cap is compared byte for byte, without steps.
    pauses = 0;
    const kept = Buffer.alloc(512 * 1024, 'k');
    const small = await cache.decodeInSteps(kept, decode('d'), pause);
    expect(await cache.decodeInSteps(Buffer.from(kept), decode('e'), pause)).toBe(small);
    expect(await cache.decodeInSteps(kept, decode('f'), pause)).toBe(small);
    expect(pauses).toBe(0);
  });

  it('does not remember a body that failed to decode', () => {
    const cache = sameAnswer<number>();
    const bytes = Buffer.from('x');
    expect(() =>
      cache.decode(bytes, () => {
        throw new Error('bad');
      }),
    ).toThrow('bad');
    expect(cache.decode(bytes, () => 7)).toBe(7);
  });

  it('forgets on request', () => {
    const cache = sameAnswer<number>();
    cache.decode(Buffer.from('1'), () => 1);
    cache.forget();
    expect(cache.decode(Buffer.from('1'), () => 2)).toBe(2);
  });
});

describe('listUsers with unchanged users', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ users: 3, seed: 11 });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('returns the same array while the list is unchanged, a new one once it changed', async () => {
    const client = createPiecesClient({
      resolver: createBaseUrlResolver({ setting: () => emu.url, env: {} }),
    });
    const first = await client.listUsers();
    expect(await client.listUsers()).toBe(first);
    const [gone] = first;
    await client.disconnect(gone!.id);
    const after = await client.listUsers();
    expect(after).not.toBe(first);
    expect(after.map((u) => u.id)).not.toContain(gone!.id);
    expect(first).toHaveLength(3); // the earlier value is left as it was
  });
});
