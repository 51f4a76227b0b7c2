// Which one account a person means by what they typed: an exact id first, then an email, then a
// name, each without regard to case. A tier that finds one account decides; a tier that finds
// several is ambiguous (the candidates are listed, nothing is guessed); no tier: no match.
import type { Account } from '../../shared/domain';

export type AccountMatch =
  | { kind: 'one'; account: Account }
  | { kind: 'ambiguous'; candidates: Account[] }
  | { kind: 'none' };

const fold = (text: string): string => text.normalize('NFC').toLocaleLowerCase('en');

export function matchAccount(accounts: readonly Account[], query: string): AccountMatch {
  const wanted = query.trim();
  if (wanted === '') return { kind: 'none' };
  const folded = fold(wanted);
  const tiers: ((a: Account) => boolean)[] = [
    (a) => a.id === wanted,
    (a) => a.email !== undefined && fold(a.email) === folded,
    (a) =>
      fold(a.displayName) === folded || (a.username !== undefined && fold(a.username) === folded),
  ];
  for (const test of tiers) {
    const found = accounts.filter(test);
    if (found.length === 1) return { kind: 'one', account: found[0]! };
    if (found.length > 1) return { kind: 'ambiguous', candidates: found };
  }
  return { kind: 'none' };
}

/** One line naming an account for people: its name, its email where known, and its id. */
export function describeAccount(account: Account): string {
  const email = account.email ? ` <${account.email}>` : '';
  return `${account.displayName}${email} (${account.id})`;
}
