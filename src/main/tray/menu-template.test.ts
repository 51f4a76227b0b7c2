import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import {
  MAX_MENU_ACCOUNTS,
  TRAY_ITEM,
  buildTrayMenu,
  trayIconState,
  trayTooltip,
} from './menu-template';
import {
  account,
  bob,
  click,
  cy,
  item,
  offline,
  recordingActions,
  snapshot,
} from '../../../test/support/tray-testing';
import type { Account, StateSnapshot } from '../../shared/domain';
import { EMPTY_SNAPSHOT } from '../../../test/support/ipc-testing';

const build = (s = snapshot()) => {
  const actions = recordingActions();
  return { menu: buildTrayMenu(s, actions), actions };
};
const radios = (menu: MenuItemConstructorOptions[]) => menu.filter((i) => i.type === 'radio');
const labels = (menu: MenuItemConstructorOptions[]) => menu.map((i) => i.label ?? `[${i.type}]`);

describe('buildTrayMenu, online with an active account', () => {
  it('heads the menu with the active account name and email, as a disabled line', () => {
    const { menu } = build();
    expect(menu[0]).toMatchObject({ label: 'Ada Lovelace — ada@example.com', enabled: false });
  });

  it('lists every account as a radio item with only the active one checked', () => {
    const { menu } = build(snapshot({ activeId: 'bob' }));
    expect(radios(menu).map((i) => [i.label, i.checked])).toEqual([
      ['Ada Lovelace', false],
      ['Bob Smith', true],
      ['Cy Young', false],
    ]);
  });

  it('offers to sign out the active account by name', () => {
    const { menu } = build(snapshot({ activeId: 'bob' }));
    expect(item(menu, TRAY_ITEM.signOut)).toMatchObject({ label: 'Sign out Bob Smith' });
  });

  it('shows the connection and no retry while connected', () => {
    const { menu } = build();
    expect(labels(menu)).toContain('Pieces OS: connected');
    expect(item(menu, TRAY_ITEM.retryNow)).toBeUndefined();
  });

  it('orders the groups with single separators between them and ends with Quit', () => {
    const { menu } = build();
    expect(labels(menu)).toEqual([
      'Ada Lovelace — ada@example.com',
      '[separator]',
      'Ada Lovelace',
      'Bob Smith',
      'Cy Young',
      '[separator]',
      'Sign out Ada Lovelace',
      'Sign out of all accounts',
      '[separator]',
      'Sign in with Pieces…',
      'Add account…',
      'Open Pieces Account Switcher',
      '[separator]',
      'Pieces OS: connected',
      '[separator]',
      'Quit',
    ]);
  });

  it('leaves the email out of the header when the display name is the email', () => {
    const s = snapshot({ accounts: [account('x', 'x@example.com')], activeId: 'x' });
    expect(build(s).menu[0]?.label).toBe('x@example.com');
  });
});

describe('buildTrayMenu clicks', () => {
  it('switches to an account that is not active, with its id', () => {
    const { menu, actions } = build();
    click(item(menu, TRAY_ITEM.account('bob')));
    click(item(menu, TRAY_ITEM.account('cy')));
    expect(actions.calls).toEqual([
      ['switchTo', 'bob'],
      ['switchTo', 'cy'],
    ]);
  });

  it('does nothing when the active account is clicked', () => {
    const { menu, actions } = build();
    click(item(menu, TRAY_ITEM.account('ada')));
    expect(actions.calls).toEqual([]);
  });

  it('calls the matching action for every other item', () => {
    const { menu, actions } = build(snapshot({ connection: offline }));
    for (const id of [
      TRAY_ITEM.signOut,
      TRAY_ITEM.signOutAll,
      TRAY_ITEM.addAccount,
      TRAY_ITEM.openWindow,
      TRAY_ITEM.retryNow,
      TRAY_ITEM.quit,
    ]) {
      click(item(menu, id));
    }
    expect(actions.calls).toEqual([
      ['signOut', 'ada'],
      ['signOutAll'],
      ['addAccount'],
      ['openWindow'],
      ['retryNow'],
      ['quit'],
    ]);
  });

  it('signs out the account that is active in this snapshot', () => {
    const { menu, actions } = build(snapshot({ activeId: 'bob' }));
    click(item(menu, TRAY_ITEM.signOut));
    expect(actions.calls).toEqual([['signOut', 'bob']]);
  });
});

describe('buildTrayMenu when nobody is signed in', () => {
  it('says "Not signed in", checks no account and offers no single sign-out', () => {
    const { menu } = build(snapshot({ activeId: null }));
    expect(menu[0]).toMatchObject({ label: 'Not signed in', enabled: false });
    expect(radios(menu).some((i) => i.checked)).toBe(false);
    expect(item(menu, TRAY_ITEM.signOut)).toBeUndefined();
    expect(
      labels(menu).some((l) => l.startsWith('Sign out ') && l !== 'Sign out of all accounts'),
    ).toBe(false);
  });

  it('treats an active id that names no listed account as not signed in', () => {
    const { menu } = build(snapshot({ activeId: 'gone' }));
    expect(menu[0]?.label).toBe('Not signed in');
    expect(item(menu, TRAY_ITEM.signOut)).toBeUndefined();
  });

  it('keeps "Sign out of all accounts" while some account is connected', () => {
    const { menu } = build(snapshot({ activeId: null }));
    expect(item(menu, TRAY_ITEM.signOutAll)?.enabled).toBe(true);
  });

  it('disables "Sign out of all accounts" when no account is connected', () => {
    const s = snapshot({ activeId: null, accounts: [cy] });
    expect(item(build(s).menu, TRAY_ITEM.signOutAll)?.enabled).toBe(false);
  });

  it('shows no account group and no stray separators without accounts', () => {
    const { menu } = build(snapshot({ activeId: null, accounts: [] }));
    expect(radios(menu)).toEqual([]);
    expect(labels(menu)).toEqual([
      'Not signed in',
      '[separator]',
      'Sign out of all accounts',
      '[separator]',
      'Sign in with Pieces…',
      'Add account…',
      'Open Pieces Account Switcher',
      '[separator]',
      'Pieces OS: connected',
      '[separator]',
      'Quit',
    ]);
    expect(item(menu, TRAY_ITEM.signOutAll)?.enabled).toBe(false);
  });
});

describe('buildTrayMenu connection states', () => {
  it('says Pieces OS is not reachable and offers "Retry now" when offline', () => {
    const { menu, actions } = build(snapshot({ connection: offline }));
    expect(item(menu, TRAY_ITEM.connection)).toMatchObject({
      label: 'Pieces OS is not reachable',
      enabled: false,
    });
    expect(item(menu, TRAY_ITEM.retryNow)).toMatchObject({ label: 'Retry now', enabled: true });
    click(item(menu, TRAY_ITEM.retryNow));
    expect(actions.calls).toEqual([['retryNow']]);
  });

  it('says Pieces OS answered with an error (not "not reachable") when it is running but failing', () => {
    const failing: StateSnapshot['connection'] = {
      status: 'offline',
      tried: ['http://localhost:39300'],
      error: { kind: 'http', status: 500, message: 'Pieces OS ran into an internal error (500).' },
      nextRetryAt: 0,
    };
    const { menu } = build(snapshot({ connection: failing }));
    expect(item(menu, TRAY_ITEM.connection)?.label).toBe('Pieces OS answered with an error');
    expect(item(menu, TRAY_ITEM.retryNow)).toMatchObject({ label: 'Retry now', enabled: true });
    expect(trayTooltip(snapshot({ connection: failing }))).toBe(
      'Pieces Account Switcher — Pieces OS answered with an error',
    );
  });

  it('says it is connecting, without a retry, while connecting', () => {
    const { menu } = build(snapshot({ connection: { status: 'connecting' } }));
    expect(item(menu, TRAY_ITEM.connection)?.label).toBe('Pieces OS: connecting…');
    expect(item(menu, TRAY_ITEM.retryNow)).toBeUndefined();
  });
});

describe('buildTrayMenu while an operation runs', () => {
  const running = snapshot({
    connection: offline,
    operation: { kind: 'switch', accountId: 'bob' },
  });

  it('says what runs, on a disabled line under the header', () => {
    const { menu } = build(running);
    expect(menu[1]).toMatchObject({ label: 'Switching to Bob Smith…', enabled: false });
  });

  it('disables every item that would start another operation', () => {
    const { menu } = build(running);
    for (const i of radios(menu)) expect(i.enabled).toBe(false);
    for (const id of [TRAY_ITEM.signOut, TRAY_ITEM.signOutAll, TRAY_ITEM.retryNow]) {
      expect(item(menu, id)?.enabled, id).toBe(false);
    }
  });

  it('keeps the items that only open the window or quit', () => {
    const { menu, actions } = build(running);
    for (const id of [TRAY_ITEM.addAccount, TRAY_ITEM.openWindow, TRAY_ITEM.quit]) {
      expect(item(menu, id)?.enabled, id).not.toBe(false);
      click(item(menu, id));
    }
    expect(actions.calls).toEqual([['addAccount'], ['openWindow'], ['quit']]);
  });

  it.each([
    [{ kind: 'sign-out', accountId: 'ada' } as const, 'Signing out of Ada Lovelace…'],
    [{ kind: 'sign-out' } as const, 'Signing out…'],
    [{ kind: 'sign-out-all' } as const, 'Signing out of all accounts…'],
    [{ kind: 'sign-in' } as const, 'Signing in…'],
    [{ kind: 'switch', accountId: 'unknown' } as const, 'Switching accounts…'],
  ])('labels %o as "%s"', (operation, label) => {
    expect(build(snapshot({ operation })).menu[1]?.label).toBe(label);
  });

  it('shows no operation line when idle', () => {
    expect(item(build().menu, TRAY_ITEM.operation)).toBeUndefined();
  });
});

describe('buildTrayMenu with many accounts', () => {
  const many = Array.from({ length: 2000 }, (_, i) => account(`u${i}`, `User ${i}`));

  it(`lists at most ${MAX_MENU_ACCOUNTS} accounts and links to the window for the rest`, () => {
    const { menu, actions } = build(snapshot({ accounts: many, activeId: 'u3' }));
    expect(radios(menu)).toHaveLength(MAX_MENU_ACCOUNTS);
    expect(radios(menu)[0]?.label).toBe('User 0');
    click(item(menu, TRAY_ITEM.moreAccounts));
    expect(item(menu, TRAY_ITEM.moreAccounts)?.label).toBe('More accounts…');
    expect(actions.calls).toEqual([['openWindow']]);
  });

  it('always lists the active account, checked, even when it is far down the list', () => {
    const { menu } = build(snapshot({ accounts: many, activeId: 'u1500' }));
    const shown = radios(menu);
    expect(shown).toHaveLength(MAX_MENU_ACCOUNTS);
    expect(shown.filter((i) => i.checked).map((i) => i.label)).toEqual(['User 1500']);
  });

  it('has no "More accounts…" when every account fits', () => {
    const s = snapshot({ accounts: many.slice(0, MAX_MENU_ACCOUNTS), activeId: null });
    const { menu } = build(s);
    expect(radios(menu)).toHaveLength(MAX_MENU_ACCOUNTS);
    expect(item(menu, TRAY_ITEM.moreAccounts)).toBeUndefined();
  });
});

describe('buildTrayMenu labels from Pieces OS', () => {
  it('escapes "&" so Electron shows it instead of reading a mnemonic', () => {
    const s = snapshot({ accounts: [account('rd', 'R&D Team')], activeId: 'rd' });
    const { menu } = build(s);
    expect(item(menu, TRAY_ITEM.account('rd'))?.label).toBe('R&&D Team');
    expect(item(menu, TRAY_ITEM.signOut)?.label).toBe('Sign out R&&D Team');
  });

  it('tells accounts with the same name apart by email', () => {
    const s = snapshot({ accounts: [account('a1', 'Sam'), account('a2', 'Sam'), bob] });
    expect(radios(build(s).menu).map((i) => i.label)).toEqual([
      'Sam (a1@example.com)',
      'Sam (a2@example.com)',
      'Bob Smith',
    ]);
  });

  it('shortens very long names', () => {
    const long = 'L'.repeat(300);
    const s = snapshot({ accounts: [account('l', long)], activeId: 'l' });
    const label = item(build(s).menu, TRAY_ITEM.account('l'))?.label ?? '';
    expect(label.length).toBeLessThan(60);
    expect(label.endsWith('…')).toBe(true);
  });
});

describe('trayTooltip', () => {
  it('names the active account', () => {
    expect(trayTooltip(snapshot())).toBe('Pieces Account Switcher — Ada Lovelace');
  });

  it('says when nobody is signed in', () => {
    expect(trayTooltip(snapshot({ activeId: null }))).toBe(
      'Pieces Account Switcher — not signed in',
    );
  });

  it('puts an unreachable Pieces OS first, even with an active account', () => {
    expect(trayTooltip(snapshot({ connection: offline }))).toBe(
      'Pieces Account Switcher — Pieces OS not reachable',
    );
  });

  it('says what runs during an operation', () => {
    const s = snapshot({ operation: { kind: 'switch', accountId: 'bob' } });
    expect(trayTooltip(s)).toBe('Pieces Account Switcher — Switching to Bob Smith…');
  });

  it('fits the 127 characters Windows allows', () => {
    const s = snapshot({ accounts: [account('l', 'L'.repeat(300))], activeId: 'l' });
    expect(trayTooltip(s).length).toBeLessThanOrEqual(127);
  });
});

describe('buildTrayMenu, the update item', () => {
  const check = { label: 'Check for updates…', enabled: true, action: 'check' } as const;

  it('is absent where updates are off (development, no release provider)', () => {
    const { menu } = build();
    expect(item(menu, TRAY_ITEM.updates)).toBeUndefined();
  });

  it('sits just above Quit and checks for updates when clicked', () => {
    const actions = recordingActions();
    const menu = buildTrayMenu(snapshot(), actions, check);
    const at = menu.findIndex((i) => i.id === TRAY_ITEM.updates);
    expect(menu[at]).toMatchObject({ label: 'Check for updates…', enabled: true });
    expect(menu[at + 1]?.id).toBe(TRAY_ITEM.quit);
    click(item(menu, TRAY_ITEM.updates));
    expect(actions.calls).toEqual([['checkForUpdates']]);
  });

  it('installs a downloaded update only when its item is clicked', () => {
    const actions = recordingActions();
    const ready = {
      label: 'Restart to install version 1.2.0',
      enabled: true,
      action: 'install',
    } as const;
    const menu = buildTrayMenu(snapshot(), actions, ready);
    expect(actions.calls).toEqual([]);
    click(item(menu, TRAY_ITEM.updates));
    expect(actions.calls).toEqual([['installUpdate']]);
  });

  it('shows a running check as a disabled line', () => {
    const checking = { label: 'Checking for updates…', enabled: false, action: 'check' } as const;
    const menu = buildTrayMenu(snapshot(), recordingActions(), checking);
    expect(item(menu, TRAY_ITEM.updates)).toMatchObject({
      label: 'Checking for updates…',
      enabled: false,
    });
  });
});

describe('trayIconState', () => {
  it('is signed-in with an active account, signed-out without one, offline when unreachable', () => {
    expect(trayIconState(snapshot())).toBe('signed-in');
    expect(trayIconState(snapshot({ activeId: null }))).toBe('signed-out');
    expect(trayIconState(snapshot({ connection: offline }))).toBe('offline');
    expect(trayIconState(snapshot({ activeId: null, connection: offline }))).toBe('offline');
  });

  it('stays signed-in while connecting', () => {
    expect(trayIconState(snapshot({ connection: { status: 'connecting' } }))).toBe('signed-in');
  });
});

describe('account states in the tray', () => {
  it('names them as the window does, and a sign-in-needed row runs Sign in with Pieces for it', () => {
    const accounts: Account[] = [
      { id: 'a', displayName: 'Ada', connected: true, hasToken: true, state: 'active' },
      { id: 'b', displayName: 'Bob', connected: true, hasToken: false, state: 'sign-in-needed' },
      { id: 'c', displayName: 'Cy', connected: false, hasToken: true, state: 'not-in-pieces-os' },
    ];
    const actions = recordingActions();
    const menu = buildTrayMenu(
      {
        ...EMPTY_SNAPSHOT,
        accounts,
        activeId: 'a',
        connection: { status: 'online', url: 'http://127.0.0.1:39300' },
      },
      actions,
    );
    expect(item(menu, TRAY_ITEM.account('b'))?.label).toBe('Bob — Sign-in needed');
    expect(item(menu, TRAY_ITEM.account('c'))?.label).toBe('Cy — Not in Pieces OS');
    expect(item(menu, TRAY_ITEM.account('a'))?.label).toBe('Ada');
    click(item(menu, TRAY_ITEM.account('b')));
    click(item(menu, TRAY_ITEM.account('c')));
    click(item(menu, TRAY_ITEM.signInWithPieces));
    expect(actions.calls).toEqual([
      ['signInWithPieces', 'b'],
      ['switchTo', 'c'],
      ['signInWithPieces'],
    ]);
  });
});

describe('buildTrayMenu, the quick switcher', () => {
  const withQuickSwitch = (shortcut: string | null, inLabel: boolean) => {
    let opened = 0;
    const menu = buildTrayMenu(snapshot(), recordingActions(), null, {
      shortcut,
      inLabel,
      open: () => opened++,
    });
    return { menu, opened: () => opened };
  };

  it('offers "Quick switch…" beside Open, with its shortcut shown by the menu itself', () => {
    const { menu, opened } = withQuickSwitch('CommandOrControl+Alt+P', false);
    const quick = item(menu, TRAY_ITEM.quickSwitch);
    expect(quick).toMatchObject({
      label: 'Quick switch…',
      accelerator: 'CommandOrControl+Alt+P',
      // The global shortcut does the work; a menu accelerator would only work with the menu open.
      registerAccelerator: false,
    });
    expect(menu.indexOf(quick!) + 1).toBe(menu.indexOf(item(menu, TRAY_ITEM.openWindow)!));
    click(quick);
    expect(opened()).toBe(1);
  });

  it('writes the shortcut into the label where tray menus drop accelerators (Linux)', () => {
    const quick = item(withQuickSwitch('CommandOrControl+Alt+P', true).menu, TRAY_ITEM.quickSwitch);
    expect(quick?.label).toBe('Quick switch… (Ctrl+Alt+P)');
    expect(quick?.accelerator).toBeUndefined();
  });

  it('shows no shortcut when it is off or taken by another app', () => {
    for (const inLabel of [true, false]) {
      const quick = item(withQuickSwitch(null, inLabel).menu, TRAY_ITEM.quickSwitch);
      expect(quick?.label).toBe('Quick switch…');
      expect(quick?.accelerator).toBeUndefined();
    }
  });

  it('is not there without a quick switcher', () => {
    expect(item(build().menu, TRAY_ITEM.quickSwitch)).toBeUndefined();
  });
});
