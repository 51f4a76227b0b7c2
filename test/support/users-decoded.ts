// The user list decoded both ways the client can (one decode of the whole body, or in steps), as
// plain results the tests compare: the users and the warnings, or the error's words and path.
import { decodeUsers } from '../../src/main/pieces/decoding';
import { decodeUsersInSteps } from '../../src/main/pieces/users-in-steps';

const WHAT = 'the user list';
const WHERE = 'GET /users';

/** What one decode of the whole text gives: users and warnings, or the error and its path. */
export function usersOfWhole(text: string) {
  const warned: string[] = [];
  try {
    return { users: decodeUsers(text, WHAT, WHERE, (k) => warned.push(k)), warned };
  } catch (err) {
    return { error: String(err), path: (err as { path?: string }).path };
  }
}

/** The same in steps of `stepBytes`, and how many times the steps paused. */
export async function usersInSteps(bytes: Buffer, stepBytes: number) {
  const warned: string[] = [];
  let pauses = 0;
  try {
    const users = await decodeUsersInSteps(bytes, WHAT, WHERE, (k) => warned.push(k), {
      stepBytes,
      pause: async () => void pauses++,
    });
    return { result: { users, warned }, pauses };
  } catch (err) {
    return { result: { error: String(err), path: (err as { path?: string }).path }, pauses };
  }
}
