// Maps method + path to an endpoint or a test control. Unknown path -> 404, known path with the
// wrong method -> 405 (with the methods it accepts).

import type { EndpointName } from './types';

export type ControlName =
  | 'tokens'
  | 'faults'
  | 'reset'
  | 'state'
  | 'features'
  | 'oddities'
  | 'signInPage'
  | 'signInComplete'
  | 'signInCancel'
  | 'streamFaults'
  | 'streamSend'
  | 'streamDrop';
type Target = { endpoint: EndpointName } | { control: ControlName };
export type Match = (Target & { param: string }) | { allow: string } | undefined;

const ROUTES: { method: 'GET' | 'POST'; path: RegExp; target: Target }[] = [
  { method: 'GET', path: /^\/users$/, target: { endpoint: 'listUsers' } },
  { method: 'POST', path: /^\/users\/authenticate\/from_token$/, target: { endpoint: 'signIn' } },
  { method: 'GET', path: /^\/users\/([^/]+)$/, target: { endpoint: 'getUser' } },
  { method: 'POST', path: /^\/users\/([^/]+)\/disconnect$/, target: { endpoint: 'disconnect' } },
  { method: 'GET', path: /^\/user$/, target: { endpoint: 'currentUser' } },
  { method: 'GET', path: /^\/\.well-known\/health$/, target: { endpoint: 'health' } },
  { method: 'GET', path: /^\/\.well-known\/version$/, target: { endpoint: 'version' } },
  { method: 'POST', path: /^\/os\/sign_in$/, target: { endpoint: 'osSignIn' } },
  { method: 'POST', path: /^\/os\/sign_out$/, target: { endpoint: 'osSignOut' } },
  { method: 'GET', path: /^\/user\/access_token$/, target: { endpoint: 'accessToken' } },
  { method: 'POST', path: /^\/__emulator\/tokens$/, target: { control: 'tokens' } },
  { method: 'POST', path: /^\/__emulator\/faults$/, target: { control: 'faults' } },
  { method: 'POST', path: /^\/__emulator\/reset$/, target: { control: 'reset' } },
  { method: 'GET', path: /^\/__emulator\/state$/, target: { control: 'state' } },
  { method: 'POST', path: /^\/__emulator\/features$/, target: { control: 'features' } },
  { method: 'POST', path: /^\/__emulator\/oddities$/, target: { control: 'oddities' } },
  { method: 'GET', path: /^\/__emulator\/sign_in$/, target: { control: 'signInPage' } },
  {
    method: 'POST',
    path: /^\/__emulator\/sign_in\/complete$/,
    target: { control: 'signInComplete' },
  },
  { method: 'POST', path: /^\/__emulator\/sign_in\/cancel$/, target: { control: 'signInCancel' } },
  { method: 'POST', path: /^\/__emulator\/streams\/faults$/, target: { control: 'streamFaults' } },
  { method: 'POST', path: /^\/__emulator\/streams\/send$/, target: { control: 'streamSend' } },
  { method: 'POST', path: /^\/__emulator\/streams\/drop$/, target: { control: 'streamDrop' } },
];

export function matchRoute(method: string, pathname: string): Match {
  const allowed: string[] = [];
  for (const route of ROUTES) {
    const found = route.path.exec(pathname);
    if (found === null) continue;
    if (route.method === method) return { ...route.target, param: decode(found[1] ?? '') };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { allow: allowed.join(', ') } : undefined;
}

/** A malformed %-escape stays as typed; the UUID check then refuses it with 400. */
function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
