import type { AccountActions } from '../src/main/accounts/types';
import type { Emulator } from '../emulator/server';

export const DEMO_PEOPLE = [
  { email: 'ada@example.com', name: 'Ada Lovelace' },
  { email: 'grace@example.com', name: 'Grace Hopper' },
  { email: 'linus@example.com', name: 'Linus Torvalds' },
];

/** Sign demo people in through the app's own sign-in path, so the app holds their tokens. */
export async function signInDemoAccounts(
  emulator: Emulator,
  service: AccountActions,
): Promise<void> {
  for (const person of DEMO_PEOPLE) {
    const result = await service.signIn(emulator.mintToken(person));
    if (!result.ok) throw new Error(`Could not sign in ${person.name}: ${result.error.message}`);
  }
}
