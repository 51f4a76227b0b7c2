// The Pieces OS wire shapes the emulator sends (snake_case, as in /work/shared/pieces-os/README.md).

export const SCHEMA = { migration: 0, semantic: 'MAJOR_0_MINOR_0_PATCH_1' } as const;
/** Pre-serialized once: every Users and ReturnedUserProfile body starts with it. */
export const SCHEMA_JSON = JSON.stringify(SCHEMA);

export type AllocationStatus =
  'UNKNOWN' | 'PENDING' | 'RUNNING' | 'FAILED' | 'SUCCEEDED' | 'DISCONNECTED';

export type ProviderType =
  | 'github'
  | 'google-oauth2'
  | 'bitbucket'
  | 'linkedin'
  | 'twitter'
  | 'facebook'
  | 'waad'
  | 'discord'
  | 'gitlab'
  | 'apple'
  | 'username_email'
  | 'slack';

export interface WireTimestamp {
  value: string;
  readable?: string;
}

export interface WireProvider {
  type: ProviderType;
  user_id: string;
  created: WireTimestamp;
  updated: WireTimestamp;
  connection?: string;
  isSocial?: boolean;
}

export interface WireAllocationUrl {
  url: string;
  status: AllocationStatus;
}

export interface WireAllocation {
  schema: typeof SCHEMA;
  id: string;
  user: string;
  project: string;
  region: string;
  urls: { base: WireAllocationUrl; id: WireAllocationUrl; vanity?: WireAllocationUrl };
  status: { cloud: AllocationStatus };
  updated?: WireTimestamp;
  version?: string;
}

export interface WireUserProfile {
  schema: typeof SCHEMA;
  id: string;
  email?: string;
  username?: string;
  name?: string;
  vanityname?: string;
  picture?: string;
  created?: WireTimestamp;
  updated?: WireTimestamp;
  aesthetics: { schema: typeof SCHEMA; theme: { dark: boolean }; font: { size: number } };
  allocation?: WireAllocation;
  providers?: { schema: typeof SCHEMA; iterable: WireProvider[] };
  auth0?: {
    global_id: string;
    vanityname?: string;
    allocation?: { project: string; region: string };
  };
}

export function timestamp(ms: number): WireTimestamp {
  const date = new Date(ms);
  return { value: date.toISOString(), readable: date.toUTCString() };
}
