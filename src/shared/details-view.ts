// An account in words, written in main: the provider's name for the row, and the details pane's
// label/value lines (names, dates in the person's format, providers, cloud). The window shows them
// as they come, so these tables and formats are not in its bundle (issue 15, figure 5).
import type { AccountDetails, UserProfile } from './domain';

const PROVIDERS: Record<string, string> = {
  github: 'GitHub',
  'google-oauth2': 'Google',
  google: 'Google',
  gitlab: 'GitLab',
  bitbucket: 'Bitbucket',
  apple: 'Apple',
  microsoft: 'Microsoft',
  windowslive: 'Microsoft',
  linkedin: 'LinkedIn',
  twitter: 'Twitter',
  facebook: 'Facebook',
  discord: 'Discord',
  slack: 'Slack',
  waad: 'Microsoft Entra ID',
  username_email: 'Email',
  auth0: 'Email',
  'Username-Password-Authentication': 'Email',
};

/** "google-oauth2" -> "Google"; unknown provider types pass through unchanged. */
export function providerLabel(type: string): string {
  return (
    (Object.hasOwn(PROVIDERS, type) ? PROVIDERS[type] : undefined) ??
    (Object.hasOwn(PROVIDERS, type.toLowerCase()) ? PROVIDERS[type.toLowerCase()] : undefined) ??
    type
  );
}

const ALLOCATION: Record<string, string> = {
  UNKNOWN: 'Unknown',
  PENDING: 'Being set up',
  RUNNING: 'Running',
  FAILED: 'Failed',
  SUCCEEDED: 'Ready',
  DISCONNECTED: 'Disconnected',
};

export function allocationLabel(status: string): string {
  return (Object.hasOwn(ALLOCATION, status) ? ALLOCATION[status] : undefined) ?? status;
}

/** An ISO date in the person's locale, or the raw text when it is not a date. */
export function formatDate(iso: string, locale?: string | string[]): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/**
 * What the details pane shows of a profile Pieces OS answered: its name, and label/value lines in
 * order, empty values left out rather than shown as blanks.
 */
export function accountDetails(profile: UserProfile, locale?: string | string[]): AccountDetails {
  const providers = [...new Set(profile.providers.map((p) => providerLabel(p.type)))].join(', ');
  const a = profile.allocation;
  const cloud = a ? [allocationLabel(a.status), a.region].filter(Boolean).join(' · ') : '';
  const lines: [label: string, value: string | undefined][] = [
    ['Name', profile.name],
    ['Email', profile.email],
    ['Username', profile.username],
    ['Vanity name', profile.vanityName],
    ['Created', profile.created ? formatDate(profile.created, locale) : undefined],
    ['Updated', profile.updated ? formatDate(profile.updated, locale) : undefined],
    ['Sign-in providers', providers],
    ['Cloud', cloud],
  ];
  return {
    displayName: profile.displayName,
    fields: lines.filter((line): line is [string, string] => !!line[1]),
  };
}
