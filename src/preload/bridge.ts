import type { IpcRenderer } from 'electron';
import type { EventContract, EventName, PiecesBridge } from '../shared/contract';
import { INVOKE_CHANNELS, ipcChannel, ipcEvent } from '../shared/contract';

/** Exactly one function per contract channel, plus the state event. Nothing else. */
export function createBridge(
  ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>,
): PiecesBridge {
  const bridge: Record<string, unknown> = {};
  for (const channel of INVOKE_CHANNELS) {
    bridge[channel] = (args?: unknown) => ipc.invoke(ipcChannel(channel), args);
  }
  const subscribe =
    <E extends EventName>(name: E) =>
    (cb: (payload: EventContract[E]) => void) => {
      // The IPC event object is dropped: it would hand the page a handle on ipcRenderer.
      const listener = (_event: unknown, payload: EventContract[E]) => cb(payload);
      ipc.on(ipcEvent(name), listener);
      return () => {
        ipc.removeListener(ipcEvent(name), listener);
      };
    };
  bridge.onState = subscribe('state');
  bridge.onCommand = subscribe('command');
  return Object.freeze(bridge) as PiecesBridge;
}
