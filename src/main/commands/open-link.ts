// What a pieces-switcher: link does in the running app. A web page can open such a link, so a
// switch never happens silently: the person confirms, in a main-process dialog naming the account.
import type { Account } from '../../shared/domain';
import type { AccountService } from '../accounts/account-service';
import type { Log } from '../log/logger';
import { linkForLog, parseSwitcherLink } from './switcher-link';

export interface LinkDeps {
  service: Pick<AccountService, 'refresh' | 'switchTo' | 'addNotice'>;
  /** Asks the person whether to switch to `account`; true only for an explicit yes. */
  confirm(account: Account): Promise<boolean>;
  showWindow(): void;
  log: Pick<Log, 'info' | 'warn'>;
}

export type LinkOutcome =
  'refused' | 'shown' | 'unknown-account' | 'already-active' | 'declined' | 'switched' | 'failed';

export async function openSwitcherLink(raw: unknown, deps: LinkDeps): Promise<LinkOutcome> {
  const verdict = parseSwitcherLink(raw);
  if (!verdict.ok) {
    deps.log.warn(`Refused a pieces-switcher link: ${verdict.reason}`, { link: linkForLog(raw) });
    return 'refused';
  }
  const link = verdict.link;
  if (link.action === 'open') {
    deps.showWindow();
    return 'shown';
  }
  const snapshot = await deps.service.refresh();
  // Only the exact id or email: a link is not a search, and a name could match someone else.
  const account =
    'id' in link
      ? snapshot.accounts.find((a) => a.id === link.id)
      : snapshot.accounts.find((a) => a.email?.toLowerCase() === link.email.toLowerCase());
  if (!account) {
    deps.log.warn('A pieces-switcher link named an account the app does not know', {
      link: linkForLog(raw),
    });
    deps.service.addNotice({
      id: 'link-unknown-account',
      level: 'warning',
      message:
        'A pieces-switcher link asked to switch to an account this app does not know. Nothing was changed.',
    });
    deps.showWindow();
    return 'unknown-account';
  }
  if (account.id === snapshot.activeId) return 'already-active';
  if (!(await deps.confirm(account))) {
    deps.log.info('A pieces-switcher link was declined', { account: account.id });
    return 'declined';
  }
  const result = await deps.service.switchTo(account.id);
  if (result.ok) return 'switched';
  // The window shows the failure next to the account, as for a click.
  deps.showWindow();
  return 'failed';
}
