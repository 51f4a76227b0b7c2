import { describe, expect, it } from 'vitest';
import {
  createQuickSwitchShortcut,
  SHORTCUT_NOTICE_ID,
  shortcutNotice,
  type ShortcutStatus,
} from './shortcut';

/**
 * A fake globalShortcut: keys in `taken` belong to another app (register answers false), keys in
 * `broken` make it throw as Electron does for an accelerator it cannot convert.
 */
function fakeGlobalShortcut(taken: string[] = [], broken: string[] = []) {
  const registered = new Map<string, () => void>();
  const log: string[] = [];
  return {
    registered,
    log,
    register(accelerator: string, callback: () => void): boolean {
      log.push(`register ${accelerator}`);
      if (broken.includes(accelerator)) throw new TypeError('conversion failure');
      if (taken.includes(accelerator) || registered.has(accelerator)) return false;
      registered.set(accelerator, callback);
      return true;
    },
    unregister(accelerator: string): void {
      log.push(`unregister ${accelerator}`);
      registered.delete(accelerator);
    },
    /** The person presses the keys. */
    press(accelerator: string): void {
      registered.get(accelerator)?.();
    },
  };
}

function setup(taken: string[] = [], broken: string[] = []) {
  const globalShortcut = fakeGlobalShortcut(taken, broken);
  let pressed = 0;
  const shortcut = createQuickSwitchShortcut({ globalShortcut, onPressed: () => pressed++ });
  const statuses: ShortcutStatus[] = [];
  shortcut.subscribe((s) => statuses.push(s));
  return { globalShortcut, shortcut, statuses, pressed: () => pressed };
}

describe('the quick switch shortcut', () => {
  it('registers the setting, normalized, and the keys open the palette', () => {
    const { globalShortcut, shortcut, statuses, pressed } = setup();
    expect(shortcut.apply('ctrl+alt+p')).toEqual({ state: 'on', shortcut: 'Control+Alt+P' });
    globalShortcut.press('Control+Alt+P');
    expect(pressed()).toBe(1);
    expect(statuses).toEqual([{ state: 'on', shortcut: 'Control+Alt+P' }]);
  });

  it('changes to a new shortcut: the old one is given back first', () => {
    const { globalShortcut, shortcut, statuses } = setup();
    shortcut.apply('CommandOrControl+Alt+P');
    shortcut.apply('Super+Space');
    expect([...globalShortcut.registered.keys()]).toEqual(['Super+Space']);
    expect(globalShortcut.log).toEqual([
      'register CommandOrControl+Alt+P',
      'unregister CommandOrControl+Alt+P',
      'register Super+Space',
    ]);
    expect(statuses.at(-1)).toEqual({ state: 'on', shortcut: 'Super+Space' });
  });

  it('does not register the same shortcut twice (that would clash with itself)', () => {
    const { globalShortcut, shortcut, statuses } = setup();
    shortcut.apply('CommandOrControl+Alt+P');
    expect(shortcut.apply('cmdorctrl+alt+p')).toEqual({
      state: 'on',
      shortcut: 'CommandOrControl+Alt+P',
    });
    expect(globalShortcut.log).toEqual(['register CommandOrControl+Alt+P']);
    expect(statuses).toHaveLength(1);
  });

  it('is off when the setting is empty, and gives the keys back', () => {
    const { globalShortcut, shortcut, statuses } = setup();
    shortcut.apply('CommandOrControl+Alt+P');
    expect(shortcut.apply('')).toEqual({ state: 'off' });
    expect(globalShortcut.registered.size).toBe(0);
    expect(statuses.at(-1)).toEqual({ state: 'off' });
  });

  it('reports a clash (register answers false) instead of ignoring it, and tries again on the next apply', () => {
    const { globalShortcut, shortcut, statuses, pressed } = setup(['CommandOrControl+Alt+P']);
    expect(shortcut.apply('CommandOrControl+Alt+P')).toEqual({
      state: 'clash',
      shortcut: 'CommandOrControl+Alt+P',
    });
    globalShortcut.press('CommandOrControl+Alt+P');
    expect(pressed()).toBe(0);
    // The same clash again is not news: one report.
    shortcut.apply('CommandOrControl+Alt+P');
    expect(statuses).toEqual([{ state: 'clash', shortcut: 'CommandOrControl+Alt+P' }]);
    expect(globalShortcut.log.filter((l) => l.startsWith('register'))).toHaveLength(2);
    // Another shortcut works, and says so.
    expect(shortcut.apply('Control+Shift+K').state).toBe('on');
    expect(statuses.at(-1)).toEqual({ state: 'on', shortcut: 'Control+Shift+K' });
  });

  it('refuses a text that is no shortcut without registering anything', () => {
    const { globalShortcut, shortcut } = setup();
    shortcut.apply('CommandOrControl+Alt+P');
    const status = shortcut.apply('Shift+P');
    expect(status).toMatchObject({ state: 'refused', text: 'Shift+P' });
    expect(globalShortcut.registered.size).toBe(0);
  });

  it('turns an exception from Electron into a refusal, not a crash', () => {
    const { shortcut } = setup([], ['Control+F24']);
    expect(shortcut.apply('Control+F24')).toEqual({
      state: 'refused',
      text: 'Control+F24',
      reason: 'conversion failure',
    });
  });

  it('gives the shortcut back when the app quits', () => {
    const { globalShortcut, shortcut } = setup();
    shortcut.apply('CommandOrControl+Alt+P');
    shortcut.dispose();
    expect(globalShortcut.registered.size).toBe(0);
    expect(shortcut.status()).toEqual({ state: 'off' });
  });
});

describe('shortcutNotice', () => {
  it('names the shortcut as the system writes it, and where to change it', () => {
    const clash = { state: 'clash', shortcut: 'CommandOrControl+Alt+P' } as const;
    expect(shortcutNotice(clash, false)).toEqual({
      id: SHORTCUT_NOTICE_ID,
      level: 'warning',
      message: expect.stringMatching(
        /^The quick switch shortcut Ctrl\+Alt\+P is already used by another app.*Settings › General.*Quick switch…/,
      ) as unknown as string,
    });
    expect(shortcutNotice(clash, true)?.message).toContain('⌘⌥P');
    expect(
      shortcutNotice({ state: 'refused', text: 'Shift+P', reason: 'Add a modifier.' }, false)
        ?.message,
    ).toMatch(/“Shift\+P” cannot be used: Add a modifier\./);
  });

  it('says nothing when the shortcut works or is off', () => {
    expect(shortcutNotice({ state: 'on', shortcut: 'Control+P' }, false)).toBeNull();
    expect(shortcutNotice({ state: 'off' }, true)).toBeNull();
  });
});
