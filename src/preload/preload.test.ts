import { beforeEach, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS, ipcChannel, ipcEvent } from '../shared/contract';

// The real preload runs in Electron's sandbox; here `electron` is the one thing mocked.
const exposed = new Map<string, unknown>();
const invoke = vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 'v' }));
const listeners = new Map<string, Set<(...a: unknown[]) => void>>();
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke,
    on: (name: string, fn: (...a: unknown[]) => void) => {
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name)!.add(fn);
    },
    removeListener: (name: string, fn: (...a: unknown[]) => void) =>
      listeners.get(name)?.delete(fn),
  },
}));

describe('preload bridge', () => {
  beforeEach(async () => {
    exposed.clear();
    vi.resetModules();
    await import('./');
  });

  it('exposes one object, window.pieces, with exactly one function per channel plus the event subscriptions', () => {
    expect([...exposed.keys()]).toEqual(['pieces']);
    const api = exposed.get('pieces') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...INVOKE_CHANNELS, 'onCommand', 'onState'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('forwards each call to its own channel with the argument untouched', async () => {
    const api = exposed.get('pieces') as Record<string, (a?: unknown) => Promise<unknown>>;
    await api.switchTo!({ id: 'abc' });
    await api.getState!();
    expect(invoke.mock.calls.slice(-2)).toEqual([
      [ipcChannel('switchTo'), { id: 'abc' }],
      [ipcChannel('getState'), undefined],
    ]);
  });

  it('delivers state events without the IPC event object, and unsubscribes', () => {
    const api = exposed.get('pieces') as { onState: (cb: (...a: unknown[]) => void) => () => void };
    const received: unknown[][] = [];
    const off = api.onState((...args) => received.push(args));
    const fire = (payload: unknown) => {
      for (const fn of listeners.get(ipcEvent('state')) ?? [])
        fn({ sender: 'ipcRenderer!' }, payload);
    };
    fire({ accounts: [] });
    off();
    fire({ accounts: [1] });
    expect(received).toEqual([[{ accounts: [] }]]);
  });
});
