import { get as httpGet } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from './server';
import type { WireUserProfile } from './wire';
import { useEmulator } from '../test/support/shared-emulator';

const emu = useEmulator();

type Json = Record<string, unknown>;
const get = (path: string, init?: RequestInit): Promise<Response> => fetch(emu().url + path, init);
const signIn = (email: string): Promise<Response> =>
  fetch(`${emu().url}/users/authenticate/from_token`, {
    method: 'POST',
    body: JSON.stringify(emu().mintToken({ email })),
  });
const ids = (): string[] => (emu().users() as WireUserProfile[]).map((u) => u.id);

describe('status', () => {
  it('answers the status with a default or given text/plain body', async () => {
    emu().setFaults({ listUsers: { status: 503 }, getUser: { status: 500, body: 'kaput' } });
    const res = await get('/users');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('Emulated fault: 503 Service Unavailable');
    const other = await get(`/users/${ids()[0]}`);
    expect([other.status, await other.text()]).toEqual([500, 'kaput']);
  });

  it('does not run the endpoint, so nothing changes', async () => {
    emu().setFaults({ signIn: { status: 511 } });
    expect((await signIn('blocked@example.com')).status).toBe(511);
    expect(emu().users()).toHaveLength(3);
    expect(emu().requestCount('signIn')).toBe(1);
  });
});

describe('targeting, rate and times', () => {
  it("'*' hits every endpoint; an endpoint's own entry (even {}) replaces it", async () => {
    emu().setFaults({ '*': { status: 500 }, health: {}, version: { status: 502 } });
    expect((await get('/users')).status).toBe(500);
    expect((await get('/user')).status).toBe(500);
    expect((await get('/.well-known/health')).status).toBe(200);
    expect((await get('/.well-known/version')).status).toBe(502);
  });

  it('never touches the control endpoints, so a test can always recover', async () => {
    emu().setFaults({ '*': { drop: true } });
    expect((await get('/__emulator/state')).status).toBe(200);
    expect((await get('/__emulator/reset', { method: 'POST' })).status).toBe(200);
    expect((await get('/users')).status).toBe(200);
  });

  it('applies a fault only `times` times, then removes it', async () => {
    emu().setFaults({ listUsers: { status: 500, times: 2 }, currentUser: { status: 500 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get('/users')).status);
    expect(statuses).toEqual([500, 500, 200]);
    const state = (await (await get('/__emulator/state')).json()) as Json;
    expect(state.faults).toEqual({ currentUser: { status: 500 } });
  });

  it('applies a fault with probability `rate`, reproducibly for a given seed', async () => {
    const run = async (target: Emulator, rate: number): Promise<number[]> => {
      target.setFaults({ health: { status: 500, rate } });
      const statuses = [];
      for (let i = 0; i < 40; i++) {
        statuses.push((await fetch(`${target.url}/.well-known/health`)).status);
      }
      return statuses;
    };
    const twin = await startEmulator();
    try {
      const first = await run(emu(), 0.5);
      expect(first).toContain(500);
      expect(first).toContain(200);
      expect(await run(twin, 0.5)).toEqual(first);
      expect(await run(emu(), 0.5)).toEqual(first); // setFaults reseeds
      expect(await run(emu(), 0)).not.toContain(500);
      expect(await run(emu(), 1)).not.toContain(200);
    } finally {
      await twin.close();
    }
  });
});

describe('latencyMs', () => {
  it('holds the answer back while other requests are answered', async () => {
    emu().setFaults({ listUsers: { latencyMs: 60_000 } });
    const abort = new AbortController();
    let settled = false;
    const slow = get('/users', { signal: abort.signal }).finally(() => (settled = true));
    await vi.waitFor(() => expect(emu().requestCount('listUsers')).toBe(1));
    expect((await get('/.well-known/health')).status).toBe(200);
    expect(settled).toBe(false);
    abort.abort();
    await expect(slow).rejects.toThrow(/abort/i);
  });

  it('delays, then still applies the other fault kinds', async () => {
    emu().setFaults({ version: { latencyMs: 20, status: 504 } });
    expect((await get('/.well-known/version')).status).toBe(504);
  });

  it('a request cut off by stop() during the delay changes nothing', async () => {
    emu().setFaults({ signIn: { latencyMs: 60_000 } });
    const pending = signIn('never@example.com');
    await vi.waitFor(() => expect(emu().requestCount('signIn')).toBe(1));
    await emu().stop();
    await expect(pending).rejects.toThrow();
    await emu().start();
    expect(emu().users()).toHaveLength(3);
  });
});

describe('body faults', () => {
  it('malformedJson: 200 application/json that does not parse; the endpoint did run', async () => {
    emu().setFaults({ signIn: { malformedJson: true }, health: { malformedJson: true } });
    const res = await signIn('garbled@example.com');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const text = await res.text();
    expect(text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(text)).toThrow();
    expect(emu().users()).toHaveLength(4);
    const health = await get('/.well-known/health');
    expect([health.status, health.headers.get('content-type')]).toEqual([200, 'application/json']);
    const healthText = await health.text();
    expect(() => JSON.parse(healthText)).toThrow();
  });

  it('malformedJson turns even an error into a 200 with broken JSON', async () => {
    emu().setFaults({ getUser: { malformedJson: true } });
    const res = await get('/users/not-a-uuid');
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
  });

  it('missingField removes the key from every profile, in every body shape', async () => {
    emu().setFaults({ '*': { missingField: 'id' }, getUser: { missingField: 'aesthetics' } });
    const [first] = emu().users() as WireUserProfile[];
    const users = (await (await get('/users')).json()) as { iterable: Json[] };
    expect(users.iterable).toHaveLength(3);
    for (const user of users.iterable) {
      expect(user).not.toHaveProperty('id');
      expect(user).toHaveProperty('aesthetics');
    }
    const one = (await (await get(`/users/${first?.id}`)).json()) as Json;
    expect(one).not.toHaveProperty('aesthetics');
    expect(one.id).toBe(first?.id);
    const current = (await (await get('/user')).json()) as { user: Json };
    expect(current.user).not.toHaveProperty('id');
    expect(current.user.email).toBe(first?.email);
    expect(await (await get('/.well-known/health')).text()).toBe('ok');
  });

  it('extraFields adds unknown keys and enum values but keeps the real data', async () => {
    emu().setFaults({ listUsers: { extraFields: true } });
    const normal = emu().users() as Json[];
    const body = (await (await get('/users')).json()) as { iterable: Json[] } & Json;
    expect(body).toHaveProperty('next_page_token');
    expect(normal.length).toBeGreaterThan(0);
    expect(body.iterable).toHaveLength(normal.length);
    body.iterable.forEach((user, i) => {
      const original = normal[i] as Json;
      expect(user.id).toBe(original.id);
      expect(user.email).toBe(original.email);
      expect(user).toHaveProperty('favorite_editor');
      const providers = (user.providers as { iterable: Json[] }).iterable;
      expect(providers.map((p) => p.type)).toContain('myspace');
      expect(providers.length).toBe(((original.providers as Json).iterable as Json[]).length + 1);
      expect((user.allocation as { status: Json }).status.cloud).toBe('HIBERNATING');
    });
  });

  it('html: 200 text/html', async () => {
    emu().setFaults({ currentUser: { html: true } });
    const res = await get('/user');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toMatch(/^<html>.*<\/html>$/);
  });

  it('drop: the connection is reset without an answer, and nothing changes', async () => {
    emu().setFaults({ signIn: { drop: true, times: 1 } });
    await expect(signIn('dropped@example.com')).rejects.toThrow();
    expect(emu().users()).toHaveLength(3);
    expect((await signIn('dropped@example.com')).status).toBe(200);
    expect(emu().users()).toHaveLength(4);
  });

  it('trickleMs: the normal body arrives in many small chunks', async () => {
    const normal = await (await get('/users')).text();
    emu().setFaults({ listUsers: { trickleMs: 1 } });
    const chunks = await new Promise<string[]>((resolve, reject) => {
      httpGet(`${emu().url}/users`, (res) => {
        const received: string[] = [];
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => received.push(chunk));
        res.on('end', () => resolve(received));
        res.on('error', reject);
      }).on('error', reject);
    });
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.join('')).toBe(normal);
  });
});

describe('validation', () => {
  it('refuses invalid fault configs over HTTP with 400 text and keeps the old config', async () => {
    emu().setFaults({ health: { status: 500 } });
    const bad: unknown[] = [
      [],
      { users: { status: 500 } },
      { health: 'down' },
      { health: { status: 99 } },
      { health: { status: 500.5 } },
      { health: { times: 0 } },
      { health: { trickleMs: 0 } },
      { health: { drop: 'yes' } },
      { health: { missingField: '' } },
      { health: { toString: true } },
    ];
    for (const faults of bad) {
      const res = await get('/__emulator/faults', { method: 'POST', body: JSON.stringify(faults) });
      expect(res.status, JSON.stringify(faults)).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    }
    expect((await get('/.well-known/health')).status).toBe(500);
  });
});
