// The quick switcher's global shortcut: registered with the system at start, changed when the
// setting changes, off when it is empty, and a clash with another app reported, not ignored.
// Electron arrives as a parameter, so this runs under Node in tests.
import type { GlobalShortcut } from 'electron';
import { checkShortcut, shortcutLabel } from '../../shared/accelerator';
import type { Notice } from '../../shared/domain';

export type ShortcutStatus =
  | { state: 'off' }
  | { state: 'on'; shortcut: string }
  /** The system said no (`register` returned false): another app holds this shortcut. */
  | { state: 'clash'; shortcut: string }
  /** Not a shortcut this app can register (a hand-edited file, or Electron refused it). */
  | { state: 'refused'; text: string; reason: string };

export type GlobalShortcutLike = Pick<GlobalShortcut, 'register' | 'unregister'>;

export interface QuickSwitchShortcut {
  /** Registers `text` (the setting) in place of the current shortcut; '' turns it off. */
  apply(text: string): ShortcutStatus;
  status(): ShortcutStatus;
  /** Called with every status that differs from the one before. Returns an unsubscribe function. */
  subscribe(listener: (status: ShortcutStatus) => void): () => void;
  /** Gives the shortcut back to the system (the app is quitting). */
  dispose(): void;
}

const same = (a: ShortcutStatus, b: ShortcutStatus): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

export function createQuickSwitchShortcut(deps: {
  globalShortcut: GlobalShortcutLike;
  /** What the shortcut does: show the palette. */
  onPressed(): void;
}): QuickSwitchShortcut {
  let status: ShortcutStatus = { state: 'off' };
  const listeners = new Set<(s: ShortcutStatus) => void>();

  function release(): void {
    if (status.state === 'on') deps.globalShortcut.unregister(status.shortcut);
  }

  function next(text: string): ShortcutStatus {
    const checked = checkShortcut(text);
    if (!checked.ok) return { state: 'refused', text: text.slice(0, 100), reason: checked.message };
    if (checked.shortcut === '') return { state: 'off' };
    try {
      const registered = deps.globalShortcut.register(checked.shortcut, () => deps.onPressed());
      return registered
        ? { state: 'on', shortcut: checked.shortcut }
        : { state: 'clash', shortcut: checked.shortcut };
    } catch (err) {
      // Electron throws on an accelerator it cannot convert; checkShortcut should have caught it.
      return {
        state: 'refused',
        text: checked.shortcut,
        reason: err instanceof Error ? err.message.slice(0, 200) : 'Electron refused it.',
      };
    }
  }

  function set(to: ShortcutStatus): ShortcutStatus {
    const changed = !same(status, to);
    status = to;
    if (changed) for (const listener of listeners) listener(to);
    return to;
  }

  return {
    apply(text) {
      const checked = checkShortcut(text);
      // Already ours: registering it again would clash with ourselves.
      if (checked.ok && status.state === 'on' && status.shortcut === checked.shortcut)
        return status;
      // Given back first: the new one may be the same keys spelt another way (Command vs
      // CommandOrControl on macOS). A clash is tried again on every apply (the other app may
      // have let go).
      release();
      return set(next(text));
    },
    status: () => status,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      release();
      status = { state: 'off' };
      listeners.clear();
    },
  };
}

/** The id of the one notice about the shortcut, replaced or withdrawn as its status changes. */
export const SHORTCUT_NOTICE_ID = 'quick-switch-shortcut';

/** What the window says about the shortcut's status, or null when there is nothing to say. */
export function shortcutNotice(status: ShortcutStatus, mac: boolean): Notice | null {
  const where = 'Choose another in Settings › General, or use “Quick switch…” in the tray menu.';
  switch (status.state) {
    case 'on':
    case 'off':
      return null;
    case 'clash':
      return {
        id: SHORTCUT_NOTICE_ID,
        level: 'warning',
        message: `The quick switch shortcut ${shortcutLabel(status.shortcut, mac)} is already used by another app, so it does not open the quick switcher. ${where}`,
      };
    case 'refused':
      return {
        id: SHORTCUT_NOTICE_ID,
        level: 'warning',
        message: `The quick switch shortcut “${status.text.slice(0, 40)}” cannot be used: ${status.reason} ${where}`,
      };
  }
}
