// Which profile picture addresses the app fetches. Pieces OS hands over whatever URL a sign-in
// provider gave (Google, GitHub, Gravatar...): those are public https images. Anything else is
// refused before a connection is made, and every redirect is checked again the same way.
import { isIP } from 'node:net';

export const MAX_PICTURE_URL_LENGTH = 2_048;

/** The URL, parsed, when the app may fetch it; otherwise the reason in words. */
export function checkPictureUrl(raw: string): { url: URL } | { problem: string } {
  if (raw.length > MAX_PICTURE_URL_LENGTH) return { problem: 'the address is too long' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'it is not an address' };
  }
  // http would let anyone on the network swap the picture; file:, data:, blob: are not pictures
  // on the web at all.
  if (url.protocol !== 'https:') return { problem: 'only https addresses are fetched' };
  if (url.username || url.password) return { problem: 'the address carries a user name' };
  // The URL parser has already turned 0x7f.1, 2130706433 and friends into dotted form.
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (isIP(host)) return { problem: 'a picture address names a host, not an IP address' };
  // Names that mean this computer or the local network, never a picture host.
  if (!host.includes('.') || host === 'localhost' || host.endsWith('.localhost'))
    return { problem: 'the host is not on the internet' };
  return { url };
}
