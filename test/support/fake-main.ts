// The Electron pieces the main process uses, faked, recording what was asked of them: enough to
// run startApp() under Node against real files and a real (or hostile) server.
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { vi } from 'vitest';
import { startApp, type RunningApp } from '../../src/main/app';
import { fakeElectron } from './fake-electron';
import { ipcChannel, type InvokeChannel } from '../../src/shared/contract';
import type { Result } from '../../src/shared/domain';
import { fakeSafeStorage } from './fake-safe-storage';

/** The repository's out/: the app finds its icons in resources/ beside it, as `npm start` does. */
export const APP_OUT_DIR = join(__dirname, '..', '..', 'out');
export const APP_PAGE_URL = pathToFileURL(join(APP_OUT_DIR, 'renderer', 'index.html')).href;

type Listener = (...args: unknown[]) => void;
type IpcHandler = (event: unknown, arg: unknown) => unknown;

export function fakeMain(userData: string) {
  const tray = fakeElectron();
  const handlers = new Map<string, IpcHandler>();
  const appEvents = new Map<string, Listener[]>();
  const windows: FakeWindow[] = [];
  /** Everything main sent to a window: [event name, payload]. */
  const sent: [string, unknown][] = [];

  class FakeWindow {
    listeners = new Map<string, Listener[]>();
    visible = false;
    focused = false;
    destroyed = false;
    loaded: string | undefined;
    /** The options of loadFile (the palette's ?view=palette). */
    loadOptions: { query?: Record<string, string> } | undefined;
    bounds: Electron.Rectangle | undefined;
    onAllWorkspaces = false;
    mainFrame = { url: APP_PAGE_URL };
    /** What the app hooked on its webContents: navigation listeners and the two handlers. */
    contentsListeners = new Map<string, Listener[]>();
    windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
    permissionCheckHandler: ((...args: unknown[]) => boolean) | undefined;
    permissionHandler:
      ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void) | undefined;
    webContents = {
      mainFrame: this.mainFrame,
      send: (name: string, payload: unknown) => void sent.push([name, payload]),
      on: (name: string, fn: Listener) =>
        void this.contentsListeners.set(name, [...(this.contentsListeners.get(name) ?? []), fn]),
      once: () => undefined,
      isLoading: () => false,
      setWindowOpenHandler: (fn: FakeWindow['windowOpenHandler']) =>
        void (this.windowOpenHandler = fn),
      session: {
        setPermissionRequestHandler: (fn: FakeWindow['permissionHandler']) =>
          void (this.permissionHandler = fn),
        setPermissionCheckHandler: (fn: FakeWindow['permissionCheckHandler']) =>
          void (this.permissionCheckHandler = fn),
      },
    };
    constructor(readonly options: Electron.BrowserWindowConstructorOptions) {
      windows.push(this);
    }
    on(name: string, fn: Listener) {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
    }
    once(name: string, fn: Listener) {
      this.on(name, fn);
    }
    loadFile(path: string, options?: { query?: Record<string, string> }) {
      this.loaded = path;
      this.loadOptions = options;
      return Promise.resolve();
    }
    /** Electron emits `name` on the window (blur, close, ...). */
    emit(name: string, ...args: unknown[]) {
      for (const fn of this.listeners.get(name) ?? []) fn(...args);
    }
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
    show() {
      this.visible = true;
      this.focused = true;
    }
    hide() {
      this.visible = false;
      this.focused = false;
    }
    focus() {
      this.focused = true;
    }
    isVisible() {
      return this.visible;
    }
    setBounds(bounds: Electron.Rectangle) {
      this.bounds = bounds;
    }
    setVisibleOnAllWorkspaces(on: boolean) {
      this.onAllWorkspaces = on;
    }
    destroy() {
      this.destroyed = true;
      this.visible = false;
      this.emit('closed');
    }
    isMinimized() {
      return false;
    }
    isMaximized() {
      return false;
    }
    isFullScreen() {
      return false;
    }
    getNormalBounds() {
      return { x: 40, y: 50, width: 700, height: 520 };
    }
    restore() {}
    isDestroyed() {
      return this.destroyed;
    }
  }

  /** The system's global shortcuts: `taken` ones belong to another app (register answers false). */
  const globalShortcut = {
    taken: new Set<string>(),
    registered: new Map<string, () => void>(),
    register(accelerator: string, callback: () => void) {
      if (this.taken.has(accelerator) || this.registered.has(accelerator)) return false;
      this.registered.set(accelerator, callback);
      return true;
    },
    unregister(accelerator: string) {
      this.registered.delete(accelerator);
    },
    /** The person presses the keys. */
    press(accelerator: string) {
      const callback = this.registered.get(accelerator);
      if (!callback) throw new Error(`${accelerator} is not registered`);
      callback();
    },
  };

  /** Two displays side by side; the pointer is wherever a test puts it. */
  const screen = {
    cursor: { x: 100, y: 100 },
    displays: [
      { workArea: { x: 0, y: 0, width: 1920, height: 1040 } },
      { workArea: { x: 1920, y: 0, width: 1280, height: 1000 } },
    ],
    getCursorScreenPoint() {
      return this.cursor;
    },
    getDisplayNearestPoint(point: { x: number; y: number }) {
      return this.displays[point.x >= 1920 ? 1 : 0]!;
    },
  };

  const electron = {
    ...tray.electron,
    globalShortcut,
    screen,
    app: {
      isPackaged: false,
      requestSingleInstanceLock: () => true,
      whenReady: () => Promise.resolve(),
      getPath: () => userData,
      on: (name: string, fn: Listener) =>
        void appEvents.set(name, [...(appEvents.get(name) ?? []), fn]),
      quit: vi.fn(),
      exit: vi.fn(),
      setLoginItemSettings: vi.fn(),
      setAsDefaultProtocolClient: vi.fn(() => true),
    },
    BrowserWindow: FakeWindow,
    ipcMain: {
      handle: (name: string, fn: IpcHandler) => void handlers.set(name, fn),
      removeHandler: (name: string) => void handlers.delete(name),
    },
    shell: { openExternal: vi.fn() },
    /** The person's answer to a message box: set `response` (0 = Cancel). Records each box. */
    dialog: {
      response: 0,
      shown: [] as Electron.MessageBoxOptions[],
      showMessageBox(...args: unknown[]) {
        this.shown.push(args.at(-1) as Electron.MessageBoxOptions);
        return Promise.resolve({ response: this.response, checkboxChecked: false });
      },
      showErrorBox: vi.fn(),
    },
    safeStorage: fakeSafeStorage,
    /** Emit 'shutdown' on it as macOS and Linux do before a shutdown or logout. */
    powerMonitor: new EventEmitter(),
  };

  /** The event the app's own window main frame produces. */
  const appEvent = () => {
    const win = windows[0]!;
    return { sender: win.webContents, senderFrame: win.mainFrame };
  };
  /** The quick switcher's window (created hidden after the app window). */
  const paletteWindow = () => {
    const win = windows[1];
    if (!win) throw new Error('no palette window');
    return win;
  };

  /** Invoke a channel with an arbitrary event (a foreign sender, say). */
  const invokeAs = async (
    event: unknown,
    channel: InvokeChannel,
    arg?: unknown,
  ): Promise<Result<unknown>> => {
    const handler = handlers.get(ipcChannel(channel));
    if (!handler) throw new Error(`no handler for ${channel}`);
    return (await handler(event, arg)) as Result<unknown>;
  };

  return {
    electron,
    tray,
    handlers,
    windows,
    sent,
    appEvents,
    appEvent,
    paletteWindow,
    invokeAs,
    /** Invoke a channel as the app window's main frame would. */
    invoke: (channel: InvokeChannel, arg?: unknown) => invokeAs(appEvent(), channel, arg),
    async start(): Promise<RunningApp> {
      const running = await startApp(electron as never, {
        outDir: APP_OUT_DIR,
      });
      if (!running) throw new Error('the app did not start');
      await running.service.refresh();
      return running;
    },
  };
}

export type FakeMain = ReturnType<typeof fakeMain>;
