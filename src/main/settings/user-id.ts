// Which account ids the app stores sign-ins and settings for: exactly the ids the Pieces OS
// decoder accepts (1 to 256 characters, no control characters, not "." or ".."), so every account
// that is listed can also be saved. Ids are data here, never paths or object keys that code
// copies: the vault keeps them in Maps and as keys of one JSON object read with them kept (see
// token-vault.ts), the settings as a string value. So "a/b", "../x", spaces, unicode and
// "__proto__" are all plain ids; control characters and unbounded length stay refused.
import { isUserIdShaped } from '../pieces/wire';

export function isUserId(value: unknown): value is string {
  return isUserIdShaped(value);
}
