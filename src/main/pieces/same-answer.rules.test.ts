// The edges of "same bytes, same value": the cap, the digest's steps and what bytes are kept.
import { describe, expect, it } from 'vitest';
import { sameAnswer } from './same-answer';

const MiB = 1024 * 1024;
const counter = () => {
  let n = 0;
  return { pause: async () => void n++, count: () => n };
};

describe('sameAnswer: edges', () => {
  it('keeps a body of exactly the cap as bytes, and a byte more as a digest', () => {
    const cache = sameAnswer<string>({ keepBytesUpTo: 16 });
    const atCap = Buffer.alloc(16, 'a');
    cache.decode(atCap, () => 'at cap');
    expect(cache.bytes()).toBe(atCap);
    cache.decode(Buffer.alloc(17, 'a'), () => 'over');
    expect(cache.bytes()).toBeUndefined();
  });

  it('copies a small body that starts a larger (pooled) buffer, so that buffer is not kept', () => {
    const cache = sameAnswer<string>();
    const pool = Buffer.alloc(8 * 1024, ' ');
    pool.write('[1,2]', 0);
    const view = pool.subarray(0, 5);
    expect(view.byteOffset).toBe(0);
    cache.decode(view, () => 'v');
    expect(cache.bytes()).not.toBe(view);
    expect(cache.bytes()!.buffer).not.toBe(pool.buffer);
    expect(cache.bytes()!.toString()).toBe('[1,2]');
    // Later writes into the pool do not change what is remembered.
    pool.write('[9,9]', 0);
    expect(cache.decode(Buffer.from('[1,2]'), () => 'again')).toBe('v');
  });

  it('takes a digest in 2 MiB steps with one pause between steps, none before or after', async () => {
    const cache = sameAnswer<string>({ keepBytesUpTo: 1024 });
    const p = counter();
    await cache.decodeInSteps(Buffer.alloc(4 * MiB, 'a'), async () => 'two steps', p.pause);
    expect(p.count()).toBe(1);
  });

  it('sees a change in the last step of a body compared by digest', async () => {
    const cache = sameAnswer<string>({ keepBytesUpTo: 1024 });
    const p = counter();
    const big = Buffer.alloc(5 * MiB, 'a');
    await cache.decodeInSteps(big, async () => 'first', p.pause);
    const changed = Buffer.from(big);
    changed[changed.length - 1] = 'b'.charCodeAt(0);
    expect(await cache.decodeInSteps(changed, async () => 'changed', p.pause)).toBe('changed');
    expect(await cache.decodeInSteps(Buffer.from(changed), async () => 'x', p.pause)).toBe(
      'changed',
    );
  });

  it('takes no digest of a body up to the cap decoded in steps: it keeps its bytes', async () => {
    const cache = sameAnswer<string>({ keepBytesUpTo: 5 * MiB });
    const p = counter();
    const body = Buffer.alloc(5 * MiB, 'k');
    expect(await cache.decodeInSteps(body, async () => 'kept', p.pause)).toBe('kept');
    expect(p.count()).toBe(0);
    expect(cache.bytes()).toBe(body);
  });

  it('without a pause given, waits a turn of the event loop between steps and finishes', async () => {
    const cache = sameAnswer<string>({ keepBytesUpTo: 1024 });
    const big = Buffer.alloc(3 * MiB, 'a');
    expect(await cache.decodeInSteps(big, async () => 'done')).toBe('done');
    expect(await cache.decodeInSteps(Buffer.from(big), async () => 'again')).toBe('done');
  });
});
