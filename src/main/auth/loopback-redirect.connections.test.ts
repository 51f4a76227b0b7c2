// A browser may hold more connections to the loopback listener than the one that brought the
// callback (Chromium opens spare ones ahead of need, and leaves them idle). Closing the listener
// must end those too: otherwise the close waits on them and the sign-in's port stays open. Real
// sockets on a loopback port.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startLoopbackRedirect, type LoopbackRedirect } from './loopback-redirect';
import { connectionRefused } from '../../../test/support/ports';

let redirect: LoopbackRedirect | null = null;
const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
  redirect = null;
});

/** A connection to the listener that sends nothing; resolves once connected, with a promise of its end. */
async function spareConnection(port: number): Promise<{ ended: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { ended };
}

describe('loopback redirect listener: closing with idle browser connections open', () => {
  it('after answering the callback, it closes the idle connection too', async () => {
    redirect = await startLoopbackRedirect({ expectedState: 's1' });
    const spare = await spareConnection(redirect.port);
    const browser = fetch(`${redirect.redirectUri}?code=c&state=s1`);
    await redirect.callback;
    // Resolves only once the listener and every connection are closed.
    await redirect.close({ ok: true });
    expect((await browser).status).toBe(200);
    await spare.ended;
    expect(await connectionRefused(redirect.port)).toBe(true);
  });

  it('stopped before any callback came, it closes the idle connection', async () => {
    redirect = await startLoopbackRedirect({ expectedState: 's1' });
    const spare = await spareConnection(redirect.port);
    await redirect.close();
    await spare.ended;
    expect(await connectionRefused(redirect.port)).toBe(true);
  });
});
