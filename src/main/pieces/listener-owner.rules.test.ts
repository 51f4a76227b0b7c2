// Reading /proc/net/tcp{,6} line by line: the edge cases of the format (short ports, lowercase
// hex, big-endian IPv6, odd lengths) and how the two files are combined. Fixtures follow the
// kernel's format; listener-owner.test.ts has the common cases and a real listener.
import { afterEach, describe, expect, it } from 'vitest';
import { checkListenerOwner, listenerUids } from './listener-owner';

const HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid\n';
/** One /proc/net/tcp{,6} line listening (0A) on `local` (address:port in hex), owned by `uid`. */
const listening = (local: string, uid: string | number, state = '0A') =>
  `   0: ${local} 00000000:0000 ${state} 00000000:00000000 00:00000000 00000000  ${uid}        0 1 1 0 100 0 0 10 0`;

describe('listenerUids, edge cases of the format', () => {
  it('finds a port below 4096, which the kernel prints with leading zeros', () => {
    expect(listenerUids(HEADER + listening('0100007F:03E8', 1000), 1000)).toEqual([1000]);
  });

  it('reads hex printed in lowercase', () => {
    const mapped = listening('0000000000000000ffff00000100007f:992a', 1004);
    expect(listenerUids(mapped, 39210)).toEqual([1004]);
  });

  it('reads a line that ends at the uid column', () => {
    const line =
      '   0: 0100007F:9924 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000';
    expect(listenerUids(line, 39204)).toEqual([1000]);
  });

  it('skips a uid that is not a number of a user', () => {
    const text = [listening('0100007F:9924', 'x'), listening('0100007F:9924', -1)].join('\n');
    expect(listenerUids(text, 39204)).toEqual([]);
  });

  it('reads ::1 and a mapped IPv4 address on big-endian machines', () => {
    const v6Loopback = `${'0'.repeat(31)}1:9928`;
    expect(listenerUids(listening(v6Loopback, 7), 39208, false)).toEqual([7]);
    // Little-endian order of the same bytes is some other address there.
    expect(
      listenerUids(listening('00000000000000000000000001000000:9928', 7), 39208, false),
    ).toEqual([]);
    const mapped = '00000000000000000000FFFF7F000001:992A';
    expect(listenerUids(listening(mapped, 8), 39210, false)).toEqual([8]);
    expect(listenerUids(listening(mapped, 8), 39210, true)).toEqual([]);
  });

  it('refuses an IPv4-mapped address that is not loopback', () => {
    expect(listenerUids(listening('0000000000000000FFFF00000F02000A:992A', 9), 39210)).toEqual([]);
  });

  it('refuses an IPv6 address that only ends like 127.0.0.1', () => {
    // 2001:db8::7f00:1 in the kernel's little-endian words: not mapped, not loopback.
    expect(listenerUids(listening('B80D012000000000000000000100007F:992A', 9), 39210)).toEqual([]);
  });

  it('refuses, on a big-endian machine too, an IPv6 address that only ends like 127.0.0.1', () => {
    const line = listening('20010DB80000000000000000' + '7F000001:992A', 9);
    expect(listenerUids(line, 39210, false)).toEqual([]);
  });

  it('skips a line whose address has no port', () => {
    expect(listenerUids(listening('0100007F', 5), 39204)).toEqual([]);
  });

  it('refuses an address of any other length', () => {
    const tooLong = '0000000000000000FFFF00000100007F00:992A';
    const tooShort = '0100007F00:992A';
    expect(listenerUids(listening(tooLong, 9), 39210)).toEqual([]);
    expect(listenerUids(listening(tooShort, 9), 39210)).toEqual([]);
  });
});

describe('checkListenerOwner, combining the files', () => {
  const TCP = HEADER + listening('0100007F:9924', 1000);
  const TCP6 = HEADER + listening('00000000000000000000000000000000:9924', 1001);

  it('reads both files: another user on :: is found beside this user on 127.0.0.1', async () => {
    const read = (path: string) => Promise.resolve(path === '/proc/net/tcp6' ? TCP6 : TCP);
    expect(await checkListenerOwner(39204, { platform: 'linux', uid: 1000, read })).toEqual({
      kind: 'other-user',
      uid: 1001,
    });
  });

  it('still tells from /proc/net/tcp when there is no tcp6 (no IPv6)', async () => {
    const read = (path: string) =>
      path === '/proc/net/tcp' ? Promise.resolve(TCP) : Promise.reject(new Error('ENOENT'));
    expect(await checkListenerOwner(39204, { platform: 'linux', uid: 1000, read })).toEqual({
      kind: 'same-user',
    });
    expect(await checkListenerOwner(39204, { platform: 'linux', uid: 0, read })).toEqual({
      kind: 'other-user',
      uid: 1000,
    });
  });
});

describe('checkListenerOwner where there are no OS user ids', () => {
  const getuid = Object.getOwnPropertyDescriptor(process, 'getuid');
  afterEach(() => {
    if (getuid) Object.defineProperty(process, 'getuid', getuid);
  });

  it('knows nothing on Windows, whose Node has no process.getuid', async () => {
    Object.defineProperty(process, 'getuid', { value: undefined, configurable: true });
    expect(await checkListenerOwner(39204, { platform: 'win32' })).toEqual({ kind: 'unknown' });
  });
});
