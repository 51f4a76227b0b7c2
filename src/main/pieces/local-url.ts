// Pieces OS runs on this computer, and the app sends it saved sign-in tokens: an address anywhere
// else would send them off the machine. The setting, the IPC validator and PIECES_OS_URL all use
// this one check, built on the one definition of a loopback host (auth/provider.ts).
import { isLoopbackHost } from '../auth/provider';

/** Why an address was refused, for people. */
export const NOT_ON_THIS_COMPUTER =
  'The Pieces OS address must be on this computer (localhost or 127.0.0.1).';

/** True for a URL whose host is this computer: 127.0.0.0/8, [::1] or localhost (any case). */
export function isOnThisComputer(url: URL): boolean {
  return isLoopbackHost(url.hostname);
}

/** True for an http:// or https:// URL on this computer. */
export function isLocalHttpUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && isOnThisComputer(url);
}
