// Wire (snake_case, as Pieces OS sends it) -> domain (camelCase, what the app shows).
import type { Allocation, Provider, UserProfile } from '../../shared/domain';
import type {
  WireAllocationCloud,
  WireExternalProviders,
  WireGroupedTimestamp,
  WireUserProfile,
  WireUsers,
} from './wire';

export function toUserProfile(wire: WireUserProfile): UserProfile {
  return {
    id: wire.id,
    displayName: displayNameOf(wire),
    email: wire.email ?? undefined,
    username: wire.username ?? undefined,
    name: wire.name ?? undefined,
    vanityName: wire.vanityname ?? undefined,
    picture: wire.picture ?? undefined,
    created: toIso(wire.created),
    updated: toIso(wire.updated),
    providers: toProviders(wire.providers),
    allocation: wire.allocation ? toAllocation(wire.allocation) : undefined,
    darkTheme: wire.aesthetics.theme.dark,
  };
}

export function toUserProfiles(wire: WireUsers): UserProfile[] {
  return wire.iterable ? wire.iterable.map(toUserProfile) : [];
}

/** The first non-blank of name, username, vanityname, the email's local part. */
export function displayNameOf(wire: {
  name?: string | null;
  username?: string | null;
  vanityname?: string | null;
  email?: string | null;
}): string {
  // Unrolled rather than a loop over an array: this runs once per user on every refresh.
  const name = wire.name?.trim() || wire.username?.trim() || wire.vanityname?.trim();
  if (name) return name;
  const email = wire.email ?? '';
  const at = email.indexOf('@');
  return (at >= 0 ? email.slice(0, at) : email).trim() || 'Unknown user';
}

/** Already in `toISOString()` form: by far the common case, and cheap to recognise. */
const CANONICAL_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * Normalises to `toISOString()` form so the UI can compare and format dates one way. A value that
 * is not a date becomes undefined: these dates are only shown, so a bad one is not worth failing
 * the whole user over.
 */
function toIso(ts: WireGroupedTimestamp | null | undefined): string | undefined {
  if (!ts) return undefined;
  if (CANONICAL_ISO.test(ts.value)) return ts.value;
  const ms = Date.parse(ts.value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function toProviders(wire: WireExternalProviders | null | undefined): Provider[] {
  if (!wire) return [];
  return wire.iterable.map((p) => ({ type: p.type, userId: p.user_id }));
}

function toAllocation(wire: WireAllocationCloud): Allocation {
  return {
    status: wire.status.cloud,
    project: wire.project,
    region: wire.region ?? undefined,
    // The vanity URL (mark.pieces.cloud) is the one people recognise.
    url: wire.urls.vanity?.url ?? wire.urls.base.url,
  };
}
