// Pieces OS's own sign-in, sign-out and token (POST /os/sign_in, POST /os/sign_out,
// GET /user/access_token), as the account service uses them: the way Pieces' own clients sign in.
import type { PiecesOsSession } from '../accounts/account-service';
import { jwtExpiry } from './jwt-expiry';
import type { PiecesClient } from './types';

export function piecesOsSession(
  client: Pick<PiecesClient, 'signInWithPieces' | 'signOutOfOs' | 'accessToken'>,
): PiecesOsSession {
  return {
    signIn: ({ signal, timeoutMs }) => client.signInWithPieces({ signal, timeoutMs }),
    signOut: () => client.signOutOfOs(),
    async accessToken() {
      const token = await client.accessToken();
      if (token === undefined) return undefined;
      // A JWT says when it expires; any other token's expiry is unknown.
      const expiresAt = jwtExpiry(token);
      return expiresAt === undefined ? { token } : { token, expiresAt };
    },
  };
}
