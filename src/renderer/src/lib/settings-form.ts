import type { PublicSettings, Theme } from '../../../shared/domain';

/** What the Settings dialog edits: text fields as typed, the rest as values. */
export interface SettingsDraft {
  piecesOsUrl: string;
  requestTimeoutSeconds: string;
  theme: Theme;
  closeToTray: boolean;
  notifications: boolean;
  launchAtLogin: boolean;
  allowPlaintextTokens: boolean;
}

export type SettingsField = 'piecesOsUrl' | 'requestTimeoutSeconds';

export function draftFrom(s: PublicSettings): SettingsDraft {
  return {
    piecesOsUrl: s.piecesOsUrl ?? '',
    requestTimeoutSeconds: String(s.requestTimeoutMs / 1000),
    theme: s.theme,
    closeToTray: s.closeToTray,
    notifications: s.notifications,
    launchAtLogin: s.launchAtLogin,
    allowPlaintextTokens: s.allowPlaintextTokens,
  };
}

/**
 * Check the draft before anything is sent, and turn it into the patch of what changed.
 * Main validates again; these messages are for the person at the field.
 */
export function settingsPatch(
  draft: SettingsDraft,
  current: PublicSettings,
):
  | { ok: true; patch: Partial<PublicSettings> }
  | { ok: false; errors: Partial<Record<SettingsField, string>> } {
  const errors: Partial<Record<SettingsField, string>> = {};
  const url = draft.piecesOsUrl.trim();
  if (url !== '') {
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      parsed = null;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      errors.piecesOsUrl =
        'Enter an address like http://127.0.0.1:39300, or leave it empty to find Pieces OS automatically.';
    }
  }
  const seconds = Number(draft.requestTimeoutSeconds.trim());
  if (
    draft.requestTimeoutSeconds.trim() === '' ||
    !Number.isFinite(seconds) ||
    seconds < 0.5 ||
    seconds > 60
  ) {
    errors.requestTimeoutSeconds = 'Enter a number of seconds from 0.5 to 60.';
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const next: PublicSettings = {
    ...current,
    piecesOsUrl: url === '' ? null : url,
    requestTimeoutMs: Math.round(seconds * 1000),
    theme: draft.theme,
    closeToTray: draft.closeToTray,
    notifications: draft.notifications,
    launchAtLogin: draft.launchAtLogin,
    allowPlaintextTokens: draft.allowPlaintextTokens,
  };
  const patch: Partial<PublicSettings> = {};
  for (const key of Object.keys(next) as (keyof PublicSettings)[]) {
    if (next[key] !== current[key]) (patch as Record<string, unknown>)[key] = next[key];
  }
  return { ok: true, patch };
}
