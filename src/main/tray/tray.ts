// Wires the tray menu template to a real Electron Tray. Electron arrives as a parameter so this
// runs under Node in tests; the menu itself is built by the pure functions in menu-template.ts.
import type { MenuItemConstructorOptions, MessageBoxOptions, NativeImage } from 'electron';
import type { AccountActions } from '../accounts/types';
import type { Result, StateSnapshot } from '../../shared/domain';
import {
  APP_NAME,
  buildTrayMenu,
  trayIconState,
  trayTooltip,
  type TrayIconState,
  type TrayMenuActions,
} from './menu-template';
import { loadTrayIcons, type NativeImageFactory } from './icons';
import type { UpdateMenuItem } from '../update/update-policy';

/**
 * The parts of Electron the tray uses. Menus are opaque handles passed straight back to Electron,
 * so a fake may return anything; the real module fits (checked at the bottom).
 */
export interface TrayElectron {
  Tray: new (image: NativeImage) => TrayHandle;
  Menu: { buildFromTemplate(template: MenuItemConstructorOptions[]): unknown };
  Notification: {
    new (options: { title: string; body: string }): { show(): void };
    isSupported(): boolean;
  };
  nativeImage: NativeImageFactory;
  dialog: { showMessageBox(options: MessageBoxOptions): Promise<{ response: number }> };
}

export interface TrayHandle {
  setContextMenu(menu: unknown): void;
  setToolTip(toolTip: string): void;
  setImage(image: NativeImage): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

export interface TrayControllerDeps {
  electron: TrayElectron;
  service: AccountActions;
  showWindow(opts?: { addAccount?: boolean }): void;
  quit(): void;
  /** Read on every notification, so a settings change applies at once. */
  notificationsEnabled(): boolean;
  /** The updater's menu item and actions; absent where updates are off. */
  updates?: TrayUpdates;
  /** The folder holding tray/ with the icons (see app-resources.ts). */
  resourcesDir: string;
  /** Picks the icon (a template on macOS) and what a click does. Defaults to process.platform. */
  platform?: NodeJS.Platform;
  /** The quick switcher: the menu offers it, with its shortcut. Absent: no such item. */
  quickSwitch?: TrayQuickSwitch;
}

/** What the tray shows of the quick switcher (palette/shortcut.ts) and how it opens it. */
export interface TrayQuickSwitch {
  /** The shortcut that opens it now (normalized), or null when off or taken by another app. */
  shortcut(): string | null;
  /** Called when that changes. Returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
  open(): void;
}

/** The part of the updater (update/updater.ts) the tray shows and drives. */
export interface TrayUpdates {
  menuItem(): UpdateMenuItem;
  subscribe(listener: () => void): () => void;
  checkNow(): void;
  installNow(): void;
}

export interface TrayController {
  /** The menu as last built (for the _electron suite, which cannot open a native menu). */
  currentMenu(): MenuItemConstructorOptions[];
  destroy(): void;
}

const SIGN_OUT_ALL_BUTTON = 0;
const CANCEL_BUTTON = 1;

export function createTrayController(deps: TrayControllerDeps): TrayController {
  const { electron, service } = deps;
  const platform = deps.platform ?? process.platform;

  let destroyed = false;
  let shownMenu: string | undefined;
  let shownTemplate: MenuItemConstructorOptions[] = [];
  let shownTooltip: string | undefined;
  let shownIcon: TrayIconState | undefined;

  const icons = loadTrayIcons(electron.nativeImage, deps.resourcesDir, platform);
  const initial = service.snapshot();
  const tray = new electron.Tray(icons[trayIconState(initial)]);

  function notify(title: string, body: string): void {
    if (destroyed || !deps.notificationsEnabled() || !electron.Notification.isSupported()) return;
    new electron.Notification({ title, body }).show();
  }

  function nameOf(id: string): string {
    return service.snapshot().accounts.find((a) => a.id === id)?.displayName ?? 'this account';
  }

  /**
   * Rebuilds only what changed. `force` rebuilds the menu anyway: Electron flips a radio item's
   * check on click by itself, so after an action the menu must show the service's truth again.
   */
  function render(snapshot: StateSnapshot, force = false): void {
    if (destroyed) return;
    const quickSwitch = deps.quickSwitch;
    const template = buildTrayMenu(
      snapshot,
      menuActions,
      deps.updates?.menuItem() ?? null,
      quickSwitch
        ? {
            shortcut: quickSwitch.shortcut(),
            inLabel: platform === 'linux',
            open: () => quickSwitch.open(),
          }
        : null,
    );
    shownTemplate = template;
    // Click handlers are dropped by JSON; every id, label and flag the person sees is kept.
    const menuKey = JSON.stringify(template);
    if (force || menuKey !== shownMenu) {
      tray.setContextMenu(electron.Menu.buildFromTemplate(template));
      shownMenu = menuKey;
    }
    const tooltip = trayTooltip(snapshot);
    if (tooltip !== shownTooltip) {
      tray.setToolTip(tooltip);
      shownTooltip = tooltip;
    }
    const icon = trayIconState(snapshot);
    if (icon !== shownIcon) {
      // The constructor already shows the initial icon.
      if (shownIcon !== undefined) tray.setImage(icons[icon]);
      shownIcon = icon;
    }
  }

  /** Runs an action from a menu click: never rejects, and re-syncs the menu when it ends. */
  function run(action: () => Promise<void>): void {
    action()
      .catch((err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        notify(APP_NAME, `Something went wrong inside the app: ${message}`);
      })
      .finally(() => render(service.snapshot(), true));
  }

  async function reportResult<T>(
    result: Promise<Result<T>>,
    success: (value: T) => string,
    failureTitle: string,
  ): Promise<void> {
    const r = await result;
    if (r.ok) notify(APP_NAME, success(r.value));
    else notify(failureTitle, r.error.message);
  }

  async function signOutAll(): Promise<void> {
    // Names are read now: signed-out accounts may have left the state by the time it ends.
    const before = service.snapshot().accounts;
    const connected = before.filter((a) => a.connected).length;
    const { response } = await electron.dialog.showMessageBox({
      type: 'warning',
      title: APP_NAME,
      message: 'Sign out of all accounts?',
      detail:
        connected === 1
          ? 'The connected account will be signed out of Pieces OS.'
          : `All ${connected} connected accounts will be signed out of Pieces OS.`,
      buttons: ['Sign out', 'Cancel'],
      defaultId: CANCEL_BUTTON,
      cancelId: CANCEL_BUTTON,
      noLink: true,
    });
    if (response !== SIGN_OUT_ALL_BUTTON || destroyed) return;
    const r = await service.signOutAll();
    if (!r.ok) {
      notify('Could not sign out of all accounts', r.error.message);
      return;
    }
    const { signedOut, failed } = r.value;
    const [onlyFailure] = failed;
    if (onlyFailure !== undefined && failed.length === 1) {
      notify(`Could not sign out of ${onlyFailure.displayName}`, onlyFailure.error.message);
    } else if (failed.length > 1) {
      notify(
        `Could not sign out of ${failed.length} accounts`,
        failed.map((f) => `${f.displayName}: ${f.error.message}`).join('\n'),
      );
    } else if (signedOut.length === 1) {
      const name = before.find((a) => a.id === signedOut[0])?.displayName;
      notify(APP_NAME, name !== undefined ? `Signed out of ${name}` : 'Signed out of 1 account');
    } else if (signedOut.length > 1) {
      notify(APP_NAME, `Signed out of ${signedOut.length} accounts`);
    }
  }

  const menuActions: TrayMenuActions = {
    switchTo(id) {
      const name = nameOf(id);
      run(() =>
        reportResult(
          service.switchTo(id),
          () => `Switched to ${name}`,
          `Could not switch to ${name}`,
        ),
      );
    },
    signOut(id) {
      const name = nameOf(id);
      run(() =>
        reportResult(
          service.signOut(id),
          () => `Signed out of ${name}`,
          `Could not sign out of ${name}`,
        ),
      );
    },
    signOutAll() {
      run(signOutAll);
    },
    addAccount() {
      deps.showWindow({ addAccount: true });
    },
    signInWithPieces(accountId) {
      run(() =>
        reportResult(
          service.signInWithPieces(accountId),
          ({ account, intended }) =>
            intended
              ? `Signed in as ${account.displayName}, not ${intended.displayName}`
              : `Signed in as ${account.displayName}`,
          'Could not sign in with Pieces',
        ),
      );
    },
    openWindow() {
      deps.showWindow();
    },
    retryNow() {
      // The connection line and icon show the outcome; a notification would only repeat it.
      run(async () => {
        await service.retryNow();
      });
    },
    checkForUpdates() {
      deps.updates?.checkNow();
    },
    installUpdate() {
      deps.updates?.installNow();
    },
    quit() {
      deps.quit();
    },
  };

  // macOS opens the context menu on click by itself; elsewhere a click means "show me the app".
  if (platform !== 'darwin') tray.on('click', () => deps.showWindow());

  render(initial);
  const unsubscribe = service.subscribe((snapshot) => render(snapshot));
  const unsubscribeUpdates = deps.updates?.subscribe(() => render(service.snapshot()));
  const unsubscribeQuickSwitch = deps.quickSwitch?.subscribe(() => render(service.snapshot()));

  return {
    currentMenu: () => shownTemplate,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      unsubscribe();
      unsubscribeUpdates?.();
      unsubscribeQuickSwitch?.();
      tray.destroy();
    },
  };
}

// Compile-time check: the real Electron module fits TrayElectron, so app.ts can pass it as is.
type Fits<E extends TrayElectron> = E;
export type RealTrayElectron = Fits<
  Pick<typeof import('electron'), 'Tray' | 'Menu' | 'Notification' | 'nativeImage' | 'dialog'>
>;
