// Loopback ports that nothing listens on, for tests that need "a port where no one answers"
// without knocking on a well-known port (1, 9, ...) the test does not own.
import { connect, createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * `count` distinct loopback ports, each bound by this process and then released. All are held
 * at once before any is released, so no two are the same.
 */
export async function closedPorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
    }
    return servers.map((s) => (s.address() as AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

/** One loopback port that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const [port] = await closedPorts(1);
  return port!;
}

/** Resolves true when a new connection to the loopback port is refused (nothing listens there). */
export function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}
