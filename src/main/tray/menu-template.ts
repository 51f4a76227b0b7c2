// The tray menu, tooltip and icon state as pure functions of the account service's snapshot.
// tray.ts feeds these to Electron; nothing here touches Electron at runtime.
import type { MenuItemConstructorOptions } from 'electron';
import {
  answeredWithError,
  type Account,
  type Operation,
  type StateSnapshot,
} from '../../shared/domain';
import type { UpdateMenuItem } from '../update/update-policy';
import { STATE_LABEL } from '../../shared/state-label';
import { shortcutLabel } from '../../shared/accelerator';

export interface TrayMenuActions {
  switchTo(id: string): void;
  signOut(id: string): void;
  signOutAll(): void;
  addAccount(): void;
  /** Pieces OS runs the sign-in in the system browser; `accountId`: "Sign in as" that account. */
  signInWithPieces(accountId?: string): void;
  openWindow(): void;
  retryNow(): void;
  checkForUpdates(): void;
  installUpdate(): void;
  quit(): void;
}

export type TrayIconState = 'signed-in' | 'signed-out' | 'offline';

/** The "Quick switch…" item: opens the palette, and shows the shortcut that does the same. */
export interface QuickSwitchItem {
  /** The global shortcut (an Electron accelerator) that opens it now; null when off or taken. */
  shortcut: string | null;
  /** Write the shortcut into the label: Linux tray menus (over D-Bus) do not show accelerators. */
  inLabel: boolean;
  open(): void;
}

export const APP_NAME = 'Pieces Account Switcher';

/** A native menu with thousands of rows is unusable; the window lists the rest. */
export const MAX_MENU_ACCOUNTS = 15;

/** Display names come from Pieces OS; past this they are cut so the menu stays narrow. */
const MAX_LABEL_CHARS = 48;

/** Windows caps a tray tooltip at 127 characters (NOTIFYICONDATA.szTip). */
const MAX_TOOLTIP_CHARS = 127;

/** Stable ids for the items, so tests and tray.ts can find them without matching labels. */
export const TRAY_ITEM = {
  header: 'header',
  operation: 'operation',
  account: (id: string) => `account:${id}`,
  moreAccounts: 'more-accounts',
  signOut: 'sign-out',
  signOutAll: 'sign-out-all',
  addAccount: 'add-account',
  signInWithPieces: 'sign-in-with-pieces',
  quickSwitch: 'quick-switch',
  openWindow: 'open-window',
  connection: 'connection',
  retryNow: 'retry-now',
  updates: 'updates',
  quit: 'quit',
} as const;

export function activeAccount(snapshot: StateSnapshot): Account | undefined {
  if (snapshot.activeId === null) return undefined;
  return snapshot.accounts.find((a) => a.id === snapshot.activeId);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/**
 * Electron reads a single `&` in a menu label as a mnemonic marker and hides it (electron#9584),
 * so "R&D" would show as "RD". Text that comes from Pieces OS is escaped with `&&`.
 */
function menuText(text: string): string {
  return truncate(text, MAX_LABEL_CHARS).replace(/&/g, '&&');
}

function nameOf(snapshot: StateSnapshot, id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  return snapshot.accounts.find((a) => a.id === id)?.displayName;
}

/** What the person reads while an operation runs, e.g. "Switching to Ada Lovelace…". */
export function operationLabel(snapshot: StateSnapshot, op: Operation): string {
  const name = nameOf(snapshot, op.accountId);
  switch (op.kind) {
    case 'switch':
      return name !== undefined ? `Switching to ${name}…` : 'Switching accounts…';
    case 'sign-in':
      return 'Signing in…';
    case 'sign-out':
      return name !== undefined ? `Signing out of ${name}…` : 'Signing out…';
    case 'sign-out-all':
      return 'Signing out of all accounts…';
    case 'refresh':
      return 'Refreshing accounts…';
  }
}

function connectionLabel(snapshot: StateSnapshot): string {
  switch (snapshot.connection.status) {
    case 'online':
      return 'Pieces OS: connected';
    case 'connecting':
      return 'Pieces OS: connecting…';
    case 'offline':
      return answeredWithError(snapshot.connection.error)
        ? 'Pieces OS answered with an error'
        : 'Pieces OS is not reachable';
  }
}

/** The accounts the menu lists: the first ones in service order, always including the active one. */
function shownAccounts(snapshot: StateSnapshot, active: Account | undefined): Account[] {
  const { accounts } = snapshot;
  if (accounts.length <= MAX_MENU_ACCOUNTS) return accounts;
  const first = accounts.slice(0, MAX_MENU_ACCOUNTS);
  if (active === undefined || first.includes(active)) return first;
  return [...first.slice(0, MAX_MENU_ACCOUNTS - 1), active];
}

/** Labels for account rows; two accounts with the same name are told apart by email or username. */
function accountLabels(shown: Account[]): string[] {
  const counts = new Map<string, number>();
  for (const a of shown) counts.set(a.displayName, (counts.get(a.displayName) ?? 0) + 1);
  return shown.map((a) => {
    const extra = a.email ?? a.username;
    const ambiguous = (counts.get(a.displayName) ?? 0) > 1 && extra !== undefined;
    const label = ambiguous ? `${a.displayName} (${extra})` : a.displayName;
    // The same state names as the window; Active is the radio mark, Ready needs no word.
    const state =
      a.state === 'sign-in-needed' || a.state === 'not-in-pieces-os'
        ? ` — ${STATE_LABEL[a.state]}`
        : '';
    return menuText(label) + state;
  });
}

const separator: MenuItemConstructorOptions = { type: 'separator' };

/** The "Quick switch…" item, with its shortcut shown natively or (Linux) in the label. */
function quickSwitchItem(item: QuickSwitchItem): MenuItemConstructorOptions {
  const { shortcut, inLabel } = item;
  return {
    id: TRAY_ITEM.quickSwitch,
    label:
      shortcut !== null && inLabel
        ? `Quick switch… (${shortcutLabel(shortcut, false)})`
        : 'Quick switch…',
    // Shown beside the label; registerAccelerator: false, because the global shortcut does the
    // work (a menu-local accelerator would only fire while the menu is open).
    ...(shortcut !== null && !inLabel ? { accelerator: shortcut, registerAccelerator: false } : {}),
    click: () => item.open(),
  };
}

/**
 * `update` is the updater's item, or null where updates are off (development, no provider);
 * `quickSwitch` the quick switcher's item, or null where there is none.
 */
export function buildTrayMenu(
  snapshot: StateSnapshot,
  actions: TrayMenuActions,
  update: UpdateMenuItem | null = null,
  quickSwitch: QuickSwitchItem | null = null,
): MenuItemConstructorOptions[] {
  const active = activeAccount(snapshot);
  // Items that start an operation wait until the running one ends; the service would refuse them.
  const idle = snapshot.operation === null;
  const menu: MenuItemConstructorOptions[] = [];

  const header =
    active === undefined
      ? 'Not signed in'
      : active.email !== undefined && active.email !== active.displayName
        ? `${active.displayName} — ${active.email}`
        : active.displayName;
  menu.push({ id: TRAY_ITEM.header, label: menuText(header), enabled: false });
  if (snapshot.operation !== null) {
    menu.push({
      id: TRAY_ITEM.operation,
      label: menuText(operationLabel(snapshot, snapshot.operation)),
      enabled: false,
    });
  }

  if (snapshot.accounts.length > 0) {
    menu.push(separator);
    const shown = shownAccounts(snapshot, active);
    const labels = accountLabels(shown);
    shown.forEach((account, i) => {
      const isActive = account === active;
      menu.push({
        id: TRAY_ITEM.account(account.id),
        type: 'radio',
        label: labels[i] ?? menuText(account.displayName),
        checked: isActive,
        enabled: idle,
        click: isActive
          ? undefined
          : account.state === 'sign-in-needed'
            ? () => actions.signInWithPieces(account.id)
            : () => actions.switchTo(account.id),
      });
    });
    if (shown.length < snapshot.accounts.length) {
      menu.push({
        id: TRAY_ITEM.moreAccounts,
        label: 'More accounts…',
        click: () => actions.openWindow(),
      });
    }
  }

  menu.push(separator);
  if (active !== undefined) {
    menu.push({
      id: TRAY_ITEM.signOut,
      label: `Sign out ${menuText(active.displayName)}`,
      enabled: idle,
      click: () => actions.signOut(active.id),
    });
  }
  menu.push({
    id: TRAY_ITEM.signOutAll,
    label: 'Sign out of all accounts',
    enabled: idle && snapshot.accounts.some((a) => a.connected),
    click: () => actions.signOutAll(),
  });

  menu.push(separator);
  menu.push({
    id: TRAY_ITEM.signInWithPieces,
    label: 'Sign in with Pieces…',
    enabled: idle && snapshot.connection.status === 'online' && snapshot.pendingSignIn === null,
    click: () => actions.signInWithPieces(),
  });
  menu.push({ id: TRAY_ITEM.addAccount, label: 'Add account…', click: () => actions.addAccount() });
  if (quickSwitch !== null) menu.push(quickSwitchItem(quickSwitch));
  menu.push({
    id: TRAY_ITEM.openWindow,
    label: `Open ${APP_NAME}`,
    click: () => actions.openWindow(),
  });

  menu.push(separator);
  menu.push({ id: TRAY_ITEM.connection, label: connectionLabel(snapshot), enabled: false });
  if (snapshot.connection.status === 'offline') {
    menu.push({
      id: TRAY_ITEM.retryNow,
      label: 'Retry now',
      enabled: idle,
      click: () => actions.retryNow(),
    });
  }

  menu.push(separator);
  if (update !== null) {
    menu.push({
      id: TRAY_ITEM.updates,
      label: update.label,
      enabled: update.enabled,
      click: () =>
        update.action === 'install' ? actions.installUpdate() : actions.checkForUpdates(),
    });
  }
  menu.push({ id: TRAY_ITEM.quit, label: 'Quit', click: () => actions.quit() });
  return menu;
}

/** Hover text for the tray icon: what matters most first (unreachable, then who is signed in). */
export function trayTooltip(snapshot: StateSnapshot): string {
  const active = activeAccount(snapshot);
  let status: string;
  if (snapshot.connection.status === 'offline') {
    status = answeredWithError(snapshot.connection.error)
      ? 'Pieces OS answered with an error'
      : 'Pieces OS not reachable';
  } else if (snapshot.operation !== null) status = operationLabel(snapshot, snapshot.operation);
  else if (active !== undefined) status = active.displayName;
  else if (snapshot.connection.status === 'connecting') status = 'connecting to Pieces OS…';
  else status = 'not signed in';
  return truncate(`${APP_NAME} — ${status}`, MAX_TOOLTIP_CHARS);
}

export function trayIconState(snapshot: StateSnapshot): TrayIconState {
  if (snapshot.connection.status === 'offline') return 'offline';
  return activeAccount(snapshot) !== undefined ? 'signed-in' : 'signed-out';
}
