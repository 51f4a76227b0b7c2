import type { ArgsOf } from '../../src/shared/contract';
import type { OAuthTokenInput } from '../../src/shared/domain';

/** signIn's argument for a token: the Add account form with the token's JSON pasted in it. */
export const pastedToken = (token: OAuthTokenInput): ArgsOf<'signIn'> => ({
  form: { json: JSON.stringify(token) },
});
