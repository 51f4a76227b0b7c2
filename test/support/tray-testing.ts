// Test helpers for the tray: snapshot fixtures and a recording menu-actions object.
import type { KeyboardEvent, MenuItem, MenuItemConstructorOptions } from 'electron';
import type { Account, StateSnapshot } from '../../src/shared/domain';
import type { TrayMenuActions } from '../../src/main/tray/menu-template';
import { EMPTY_SNAPSHOT } from './ipc-testing';

export function account(id: string, displayName: string, extra: Partial<Account> = {}): Account {
  return {
    id,
    displayName,
    email: `${id}@example.com`,
    connected: true,
    hasToken: true,
    state: 'ready',
    ...extra,
  };
}

export const ada = account('ada', 'Ada Lovelace');
export const bob = account('bob', 'Bob Smith');
export const cy = account('cy', 'Cy Young', { connected: false });

export function snapshot(overrides: Partial<StateSnapshot> = {}): StateSnapshot {
  return {
    ...EMPTY_SNAPSHOT,
    accounts: [ada, bob, cy],
    activeId: 'ada',
    connection: { status: 'online', url: 'http://localhost:39300' },
    ...overrides,
  };
}

export const offline: StateSnapshot['connection'] = {
  status: 'offline',
  tried: ['http://localhost:39300'],
  error: { kind: 'unreachable', message: 'Pieces OS is not running.' },
  nextRetryAt: 0,
};

export type RecordedCall = [keyof TrayMenuActions, ...string[]];

export function recordingActions(): TrayMenuActions & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  return {
    calls,
    switchTo: (id) => calls.push(['switchTo', id]),
    signOut: (id) => calls.push(['signOut', id]),
    signOutAll: () => calls.push(['signOutAll']),
    addAccount: () => calls.push(['addAccount']),
    signInWithPieces: (id) =>
      calls.push(id === undefined ? ['signInWithPieces'] : ['signInWithPieces', id]),
    openWindow: () => calls.push(['openWindow']),
    retryNow: () => calls.push(['retryNow']),
    checkForUpdates: () => calls.push(['checkForUpdates']),
    installUpdate: () => calls.push(['installUpdate']),
    quit: () => calls.push(['quit']),
  };
}

export function item(
  menu: MenuItemConstructorOptions[],
  id: string,
): MenuItemConstructorOptions | undefined {
  return menu.find((i) => i.id === id);
}

/** Clicks an item the way Electron would; the handler ignores its arguments. */
export function click(menuItem: MenuItemConstructorOptions | undefined): void {
  if (menuItem === undefined) throw new Error('no such menu item');
  menuItem.click?.({} as MenuItem, undefined, {} as KeyboardEvent);
}
