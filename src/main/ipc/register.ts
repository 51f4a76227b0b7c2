import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { INVOKE_CHANNELS, ipcChannel } from '../../shared/contract';
import { fail } from '../../shared/domain';
import { dispatch } from './dispatch';
import type { Handlers } from './handlers';

/**
 * Register every contract channel through one wrapper: the sender must be the app's own window
 * and its main frame, and arguments are validated before any handler runs.
 */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  handlers: Handlers,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(ipcChannel(channel), (event, raw: unknown) => {
      if (!isTrustedSender(event)) {
        return fail({
          kind: 'forbidden',
          message: 'This request did not come from the app window.',
        });
      }
      return dispatch(handlers, channel, raw);
    });
  }
  return () => {
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(ipcChannel(channel));
  };
}

/** True when the event comes from the main frame of `webContents`, showing one of the app's own pages. */
export function senderIsAppWindow(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  webContents: () => Electron.WebContents | undefined,
  isAppUrl: (url: string) => boolean,
): boolean {
  const wc = webContents();
  const frame = event.senderFrame;
  if (!wc || event.sender !== wc || !frame) return false;
  if (frame !== wc.mainFrame) return false;
  return isAppUrl(frame.url);
}
