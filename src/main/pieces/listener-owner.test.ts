// Who owns a loopback listener, from /proc/net/tcp{,6}: fixtures copied from a Linux machine's
// format (ports 39204..39211), then one real listener this process opens.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createConnection } from 'node:net';
import { checkConnectionOwner, checkListenerOwner, listenerUids, peerUids } from './listener-owner';

// Columns: sl local_address rem_address st ... uid. 0A = LISTEN, 01 = ESTABLISHED.
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:9924 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 211592 1 00000000eeb8aee9 100 0 0 10 0
   1: 00000000:9925 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1001        0 1060 1 0000000058636aa2 100 0 0 10 0
   2: 0100007F:9924 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1001        0 5555 1 0000000058636aa2 20 0 0 10 -1
   3: 0F02000A:9926 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1001        0 777 1 0000000058636aa2 100 0 0 10 0
   4: 0200007F:9927 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 778 1 0000000058636aa2 100 0 0 10 0
   5: 0100007F:992C 0100007F:C352 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:9928 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1002        0 126820 1 000000002fc22fe8 100 0 0 10 0
   1: 00000000000000000000000000000000:9929 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1003        0 126821 1 000000002fc22fe8 100 0 0 10 0
   2: 0000000000000000FFFF00000100007F:992A 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1004        0 126822 1 000000002fc22fe8 100 0 0 10 0
   3: B80D0120000000000000000001000000:992B 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1005        0 126823 1 000000002fc22fe8 100 0 0 10 0
`;

describe('listenerUids', () => {
  it('finds the owner of a socket listening on loopback or on every address', () => {
    expect(listenerUids(TCP, 39204)).toEqual([1000]); // 127.0.0.1, not the established one
    expect(listenerUids(TCP, 39205)).toEqual([1001]); // 0.0.0.0
    expect(listenerUids(TCP, 39207)).toEqual([0]); // 127.0.0.2
    expect(listenerUids(TCP6, 39208)).toEqual([1002]); // ::1
    expect(listenerUids(TCP6, 39209)).toEqual([1003]); // ::
    expect(listenerUids(TCP6, 39210)).toEqual([1004]); // ::ffff:127.0.0.1
  });

  it('ignores listeners a loopback client cannot reach, other ports, and junk', () => {
    expect(listenerUids(TCP, 39206)).toEqual([]); // 10.0.2.15
    expect(listenerUids(TCP6, 39211)).toEqual([]); // 2001:db8::1
    expect(listenerUids(TCP, 39300)).toEqual([]);
    expect(listenerUids('garbage\n\n  1: x', 39204)).toEqual([]);
  });

  it('reads big-endian machines too', () => {
    const line =
      '   0: 7F000001:9924 00000000:0000 0A 00000000:00000000 00:00000000 00000000  42 0 1';
    expect(listenerUids(line, 39204, false)).toEqual([42]);
    expect(listenerUids(line, 39204, true)).toEqual([]); // 1.0.0.127 there
  });
});

describe('checkListenerOwner', () => {
  const fixtures = (path: string) => Promise.resolve(path.endsWith('tcp6') ? TCP6 : TCP);

  it("finds the server's end of one connection, not the listener it came from", () => {
    // Line 2: 127.0.0.1:39204 talking to 127.0.0.1:50000 (C350), ESTABLISHED, uid 1001.
    expect(peerUids(TCP, 39204, 50000)).toEqual([1001]);
    // Our own end of it would be local 50000, remote 39204: not the server's end.
    expect(peerUids(TCP, 50000, 39204)).toEqual([]);
    expect(peerUids(TCP, 39204, 50001)).toEqual([]);
    // A listener is not a connection.
    expect(peerUids(TCP, 39205, 0)).toEqual([]);
    // Line 5: a TIME_WAIT leftover (06) between the same ports as a new connection: nobody's.
    expect(peerUids(TCP, 39212, 50002)).toEqual([]);
  });

  it("says whose the server's end of a connection is, compared with this user", async () => {
    const opts = { platform: 'linux' as const, uid: 1001, read: fixtures };
    const conn = { serverPort: 39204, clientPort: 50000 };
    expect(await checkConnectionOwner(conn, opts)).toEqual({ kind: 'same-user' });
    expect(await checkConnectionOwner(conn, { ...opts, uid: 1000 })).toEqual({
      kind: 'other-user',
      uid: 1001,
    });
    expect(await checkConnectionOwner({ ...conn, clientPort: 1 }, opts)).toEqual({
      kind: 'unknown',
    });
    expect(await checkConnectionOwner(conn, { ...opts, platform: 'darwin' })).toEqual({
      kind: 'unknown',
    });
  });

  it('says whose listener it is, compared with this user', async () => {
    const opts = { platform: 'linux' as const, uid: 1000, read: fixtures };
    expect(await checkListenerOwner(39204, opts)).toEqual({ kind: 'same-user' });
    expect(await checkListenerOwner(39205, opts)).toEqual({ kind: 'other-user', uid: 1001 });
    expect(await checkListenerOwner(39300, opts)).toEqual({ kind: 'unknown' });
  });

  it('knows nothing on macOS and Windows, or when /proc cannot be read', async () => {
    for (const platform of ['darwin', 'win32'] as const) {
      expect(await checkListenerOwner(39205, { platform, uid: 1000, read: fixtures })).toEqual({
        kind: 'unknown',
      });
    }
    const hidden = () => Promise.reject(new Error('EACCES'));
    expect(await checkListenerOwner(39205, { platform: 'linux', uid: 1000, read: hidden })).toEqual(
      { kind: 'unknown' },
    );
  });

  it.runIf(process.platform === 'linux')(
    'finds this process as the owner of a listener it opens (real /proc)',
    async () => {
      const server = createServer();
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      try {
        const { port } = server.address() as { port: number };
        expect(await checkListenerOwner(port)).toEqual({ kind: 'same-user' });
        const socket = await connectTo(port);
        try {
          const conn = { serverPort: port, clientPort: socket.localPort! };
          expect(await checkConnectionOwner(conn)).toEqual({ kind: 'same-user' });
        } finally {
          socket.destroy();
        }
      } finally {
        server.close();
      }
    },
  );

  it.runIf(process.platform === 'linux' && process.getuid?.() === 0)(
    "reports a listener of another OS user (a child process run as 'nobody'; needs root)",
    async () => {
      const child = spawn(
        process.execPath,
        [
          '-e',
          "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>console.log(s.address().port))",
        ],
        { uid: 65534, gid: 65534, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      try {
        const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
        const port = Number(chunk.toString().trim());
        expect(await checkListenerOwner(port)).toEqual({ kind: 'other-user', uid: 65534 });
        const socket = await connectTo(port);
        try {
          const conn = { serverPort: port, clientPort: socket.localPort! };
          expect(await checkConnectionOwner(conn)).toEqual({ kind: 'other-user', uid: 65534 });
        } finally {
          socket.destroy();
        }
      } finally {
        child.kill();
      }
    },
  );
});

async function connectTo(port: number) {
  const socket = createConnection({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  return socket;
}
