// The audit's redirect, seen from the window: the Pieces OS address is changed in Settings (to a
// second local address in front of the same Pieces OS), so it is not trusted yet. A switch then
// sends no saved sign-in: the window says why, naming the address, and offers "Trust this
// address…", which asks main for its dialog (the web preview stands in for it and confirms). After
// that the same switch works, as the emulator's current user over HTTP shows.
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import { accountRow, expect, PEOPLE, test } from './fixtures';

/** A second loopback address for the same emulator: every connection piped through. */
async function secondAddress(target: string): Promise<{ url: string; server: Server }> {
  const { port } = new URL(target);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(port), '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const close = server.close.bind(server);
  server.close = (cb) => {
    sockets.forEach((s) => s.destroy());
    return close(cb);
  };
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

test('an address set in Settings gets no saved sign-in until trusted; then the switch works', async ({
  app,
  emulator,
  preview,
}) => {
  const other = await secondAddress(emulator.url);
  try {
    // What the Settings form sends: an address the window chose, so not trusted.
    const set = await preview.invoke('updateSettings', { piecesOsUrl: other.url });
    expect(set.ok).toBe(true);
    await expect(app.getByRole('status').first()).toContainText('Connected');

    const before = emulator.currentUserId();
    await app.getByRole('button', { name: 'Switch to Ada Lovelace' }).click();
    const why = app.getByText(`Sign-ins are not sent to ${other.url} yet`).first();
    await expect(why).toBeVisible();
    await expect(why).toContainText('it was set in Settings');
    const trust = app.getByRole('button', { name: 'Trust this address…' });
    await expect(trust).toBeVisible();
    expect(emulator.currentUserId()).toBe(before); // nothing was sent
    await expect(accountRow(app, 'Ada Lovelace')).not.toHaveAttribute('aria-current', 'true');

    const { violations } = await new AxeBuilder({ page: app }).analyze();
    expect(
      violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);

    await trust.click();
    await expect(trust).toHaveCount(0);
    await app.getByRole('button', { name: 'Switch to Ada Lovelace' }).click();
    await expect(accountRow(app, 'Ada Lovelace')).toHaveAttribute('aria-current', 'true');
    // Pieces OS itself, asked over HTTP: Ada is its current user now.
    const current = (await (await fetch(`${emulator.url}/user`)).json()) as {
      user?: { email?: string };
    };
    expect(current.user?.email).toBe(PEOPLE.ada.email);
  } finally {
    await new Promise((resolve) => other.server.close(resolve));
  }
});
