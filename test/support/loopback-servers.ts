import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/**
 * HTTP servers on ephemeral loopback ports for the tests of a file (registers afterEach: each is
 * closed after its test, its open connections too, so no close waits on a kept-alive socket).
 */
export function useLoopbackServers() {
  const servers: http.Server[] = [];
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map(
        (s) =>
          new Promise<void>((resolve) => {
            s.closeAllConnections();
            s.close(() => resolve());
          }),
      ),
    );
  });
  return {
    /** Starts a server answering with `handle`; resolves once it listens. */
    async serve(handle: http.RequestListener): Promise<{ port: number; url: string }> {
      const server = http.createServer(handle);
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      return { port, url: `http://127.0.0.1:${port}` };
    },
  };
}
