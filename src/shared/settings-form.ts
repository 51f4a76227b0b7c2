// The Settings form's checks, in the person's words, and the patch it saves.
import { checkShortcut } from './accelerator';
import type { OAuthProviderSettings, PublicSettings, Theme } from './domain';

/** The scopes a new provider gets when the field is left empty. */
export const DEFAULT_PROVIDER_SCOPES = 'openid email profile offline_access';

/** What the Settings dialog edits: text fields as typed, the rest as values. */
export interface SettingsDraft {
  piecesOsUrl: string;
  requestTimeoutSeconds: string;
  signInTimeoutSeconds: string;
  theme: Theme;
  closeToTray: boolean;
  notifications: boolean;
  launchAtLogin: boolean;
  allowPlaintextTokens: boolean;
  /** The sign-in provider: all three empty means none. */
  providerIssuer: string;
  providerClientId: string;
  /** Space-separated. */
  providerScopes: string;
  /** The quick switcher's global shortcut as typed or pressed; empty: off. */
  quickSwitchShortcut: string;
}

export type SettingsField =
  | 'piecesOsUrl'
  | 'requestTimeoutSeconds'
  | 'signInTimeoutSeconds'
  | 'providerIssuer'
  | 'providerClientId'
  | 'providerScopes'
  | 'quickSwitchShortcut';

export function draftFrom(s: PublicSettings): SettingsDraft {
  return {
    piecesOsUrl: s.piecesOsUrl ?? '',
    requestTimeoutSeconds: String(s.requestTimeoutMs / 1000),
    signInTimeoutSeconds: String(Math.round(s.signInTimeoutMs / 1000)),
    theme: s.theme,
    closeToTray: s.closeToTray,
    notifications: s.notifications,
    launchAtLogin: s.launchAtLogin,
    allowPlaintextTokens: s.allowPlaintextTokens,
    providerIssuer: s.oauthProvider?.issuer ?? '',
    providerClientId: s.oauthProvider?.clientId ?? '',
    providerScopes: s.oauthProvider?.scopes.join(' ') ?? '',
    quickSwitchShortcut: s.quickSwitchShortcut,
  };
}

const isLoopbackHost = (host: string): boolean =>
  host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);

/** The provider the draft describes, null for none, or the errors to show at its fields. */
function providerFrom(
  draft: SettingsDraft,
  errors: Partial<Record<SettingsField, string>>,
): OAuthProviderSettings | null {
  const issuer = draft.providerIssuer.trim();
  const clientId = draft.providerClientId.trim();
  const scopeText = draft.providerScopes.trim();
  if (issuer === '' && clientId === '' && scopeText === '') return null;
  let url: URL | null;
  try {
    url = new URL(issuer);
  } catch {
    url = null;
  }
  const allowed =
    url !== null &&
    !url.search &&
    !url.hash &&
    (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)));
  if (!allowed) {
    errors.providerIssuer =
      'Enter the provider’s https:// issuer URL, like https://login.example.com, or empty all three fields for none.';
  }
  if (clientId === '' || /\s/.test(clientId)) {
    errors.providerClientId = 'Enter the client id the provider gave this app (no spaces).';
  }
  const scopes = (scopeText === '' ? DEFAULT_PROVIDER_SCOPES : scopeText).split(/\s+/);
  if (!scopes.includes('openid')) {
    errors.providerScopes = 'The scopes must include openid.';
  }
  return { issuer, clientId, scopes };
}

const sameProvider = (a: OAuthProviderSettings | null, b: OAuthProviderSettings | null): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

/** The Settings form checked: the patch of what changed, or a message for each field to fix. */
export type SettingsCheck =
  | { ok: true; patch: Partial<PublicSettings> }
  | { ok: false; errors: Partial<Record<SettingsField, string>> };

/**
 * Check the draft before anything is saved, and turn it into the patch of what changed. Main runs
 * it when the window asks (checkSettings), so this code stays out of the window's bundle; main
 * validates the patch again when it is saved. The messages are for the person at the field.
 */
export function settingsPatch(draft: SettingsDraft, current: PublicSettings): SettingsCheck {
  const errors: Partial<Record<SettingsField, string>> = {};
  const url = draft.piecesOsUrl.trim();
  if (url !== '') {
    let parsed: URL | null;
    try {
      parsed = new URL(url);
    } catch {
      parsed = null;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      errors.piecesOsUrl =
        'Enter an address like http://127.0.0.1:39300, or leave it empty to find Pieces OS automatically.';
    } else if (!isLoopbackHost(parsed.hostname)) {
      // Main refuses it too: saved sign-ins are sent to this address, so it must not leave here.
      errors.piecesOsUrl =
        'Pieces OS runs on this computer: use localhost or 127.0.0.1, like http://127.0.0.1:39300.';
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
  // Main allows 30 s to 15 min: long enough to find a password, short enough to give up.
  const signInSeconds = Number(draft.signInTimeoutSeconds.trim());
  if (
    !/^\d+$/.test(draft.signInTimeoutSeconds.trim()) ||
    signInSeconds < 30 ||
    signInSeconds > 900
  ) {
    errors.signInTimeoutSeconds = 'Enter a whole number of seconds from 30 to 900 (15 minutes).';
  }
  const provider = providerFrom(draft, errors);
  const shortcut = checkShortcut(draft.quickSwitchShortcut);
  if (!shortcut.ok) errors.quickSwitchShortcut = shortcut.message;
  if (Object.keys(errors).length > 0 || !shortcut.ok) return { ok: false, errors };

  const next: PublicSettings = {
    ...current,
    piecesOsUrl: url === '' ? null : url,
    requestTimeoutMs: Math.round(seconds * 1000),
    signInTimeoutMs: signInSeconds * 1000,
    theme: draft.theme,
    closeToTray: draft.closeToTray,
    notifications: draft.notifications,
    launchAtLogin: draft.launchAtLogin,
    allowPlaintextTokens: draft.allowPlaintextTokens,
    quickSwitchShortcut: shortcut.shortcut,
  };
  const patch: Partial<PublicSettings> = {};
  for (const key of Object.keys(next) as (keyof PublicSettings)[]) {
    if (key === 'oauthProvider') continue;
    if (next[key] !== current[key]) (patch as Record<string, unknown>)[key] = next[key];
  }
  if (!sameProvider(provider, current.oauthProvider ?? null)) patch.oauthProvider = provider;
  return { ok: true, patch };
}
