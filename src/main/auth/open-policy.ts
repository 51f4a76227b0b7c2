// Which URLs a browser sign-in may hand to the system browser. Pure, so it is tested on its own.
import { isAllowedIssuer, isLoopbackHttpUrl } from './provider';

/**
 * True when `url` may be opened in the system browser to sign in with `issuer`: it must be on the
 * issuer's own origin, over https, or over http to a loopback issuer when `allowLoopback` (a
 * provider run by a test or a development setup). Anything else (another host, a `file:` or
 * custom-scheme URL, credentials in the URL) is refused.
 */
export function canOpenForSignIn(url: string, issuer: string, allowLoopback: boolean): boolean {
  if (!isAllowedIssuer(issuer)) return false;
  let target: URL;
  let origin: URL;
  try {
    target = new URL(url);
    origin = new URL(issuer);
  } catch {
    return false;
  }
  if (target.username || target.password) return false;
  if (target.origin !== origin.origin) return false;
  if (target.protocol === 'https:') return true;
  return allowLoopback && isLoopbackHttpUrl(target);
}
