// Which address a server really listens on, read from its socket (server.address()), not from the
// URL it prints: a listener bound to 0.0.0.0 would still print "127.0.0.1" if told to.
import { Server } from 'node:net';
import { vi } from 'vitest';

/** Records every server that starts listening (http servers included) until restore(). */
export function watchListeners() {
  const listen = vi.spyOn(Server.prototype, 'listen');
  return {
    /** The address the listening socket on `port` is bound to, or undefined if none listens. */
    boundAddress(port: number): string | undefined {
      for (const server of listen.mock.contexts as Server[]) {
        const address = server.address();
        if (address && typeof address === 'object' && address.port === port) return address.address;
      }
      return undefined;
    },
    restore: () => listen.mockRestore(),
  };
}
