import { describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import type { AppError } from '../../../shared/domain';
import { deferred, FakeBridge } from '../../../../test/support/renderer/fake-bridge';
import {
  alice,
  bob,
  chloe,
  manyAccounts,
  snapshot,
} from '../../../../test/support/renderer/fixtures';
import {
  click,
  getByRole,
  press,
  queryAllByRole,
  queryByRole,
  renderApp,
  settle,
  text,
  typeInto,
  accountItem as itemOf,
  accountItems as items,
  accountList as list,
  rowMain,
} from '../../../../test/support/renderer/dom';

const activeName = (root: HTMLElement) =>
  items(root)
    .filter((li) => li.getAttribute('aria-current') === 'true')
    .map((li) => li.querySelector('.row-name')?.textContent);

describe('account list', () => {
  it('shows every account with name, email and provider, and marks the active one', async () => {
    const { target } = await renderApp(new FakeBridge(snapshot()));
    expect(items(target)).toHaveLength(3);
    const a = itemOf(target, alice.displayName);
    expect(text(a)).toContain(alice.email);
    expect(text(a)).toContain('GitHub');
    expect(a.getAttribute('aria-current')).toBe('true');
    expect(text(a)).toContain('Active');
    const b = itemOf(target, bob.displayName);
    expect(b.hasAttribute('aria-current')).toBe(false);
    expect(text(b)).not.toContain('Active');
    expect(text(b)).toContain('Google');
    expect(b.getAttribute('aria-posinset')).toBe('2');
    expect(b.getAttribute('aria-setsize')).toBe('3');
  });

  it('offers Switch on every account but the active one, and Sign out on all', async () => {
    const { target } = await renderApp(new FakeBridge(snapshot()));
    expect(queryByRole(target, 'button', `Switch to ${alice.displayName}`)).toBeNull();
    getByRole(target, 'button', `Switch to ${bob.displayName}`);
    getByRole(target, 'button', `Switch to ${chloe.displayName}`);
    for (const a of [alice, bob, chloe]) getByRole(target, 'button', `Sign out ${a.displayName}`);
  });

  it('switches in one click, showing progress on that row until main answers', async () => {
    const fake = new FakeBridge(snapshot());
    const answer = deferred<Awaited<ReturnType<typeof fake.bridge.switchTo>>>();
    fake.handlers.switchTo = () => answer.promise;
    const { target } = await renderApp(fake);
    click(getByRole(target, 'button', `Switch to ${bob.displayName}`));
    expect(fake.callsTo('switchTo')).toEqual([{ id: bob.id }]);
    const row = itemOf(target, bob.displayName);
    expect(row.getAttribute('aria-busy')).toBe('true');
    expect(text(row)).toContain('Switching…');
    expect(row.querySelector('.spinner')).not.toBeNull();

    fake.state = { ...fake.state, activeId: bob.id };
    answer.resolve({ ok: true, value: fake.state });
    await settle();
    expect(itemOf(target, bob.displayName).hasAttribute('aria-busy')).toBe(false);
    expect(activeName(target)).toEqual([bob.displayName]);
    expect(queryByRole(target, 'button', `Switch to ${bob.displayName}`)).toBeNull();
    getByRole(target, 'button', `Switch to ${alice.displayName}`);
  });

  it('shows a failed switch as an alert on that row and keeps the active account', async () => {
    const fake = new FakeBridge(snapshot());
    const error: AppError = { kind: 'needs-sign-in', message: 'no token for u-bob' };
    fake.handlers.switchTo = () => ({ ok: false, error });
    const { target } = await renderApp(fake);
    click(getByRole(target, 'button', `Switch to ${bob.displayName}`));
    await settle();
    const alert = getByRole(itemOf(target, bob.displayName), 'alert');
    expect(text(alert)).toContain('Sign in to this account again.');
    expect(queryAllByRole(itemOf(target, chloe.displayName), 'alert')).toHaveLength(0);
    expect(activeName(target)).toEqual([alice.displayName]);
    // The way out is right there: Sign in… opens Add account.
    click(getByRole(alert, 'button', 'Sign in…'));
    await settle();
    getByRole(target, 'dialog', 'Add account');
  });

  it('offers Sign in… only for a missing or refused sign-in, not for other errors', async () => {
    const fake = new FakeBridge(snapshot());
    fake.handlers.switchTo = () => ({ ok: false, error: { kind: 'timeout', message: 'slow' } });
    const { target } = await renderApp(fake);
    click(getByRole(target, 'button', `Switch to ${bob.displayName}`));
    await settle();
    const alert = getByRole(itemOf(target, bob.displayName), 'alert');
    expect(queryAllByRole(alert, 'button')).toHaveLength(0);
  });

  describe('keyboard', () => {
    it('moves the selection with arrows, Home and End, and Enter switches to it', async () => {
      const fake = new FakeBridge(snapshot());
      const { target, app } = await renderApp(fake);
      // As a keyboard user arrives: Tab lands on the list itself.
      const accountsList = list(target);
      expect(accountsList.tabIndex).toBe(0);
      accountsList.focus();
      expect(app.selectedId).toBe(alice.id); // the active account starts selected

      press(accountsList, 'ArrowDown');
      expect(app.selectedId).toBe(bob.id);
      expect(document.activeElement).toBe(rowMain(itemOf(target, bob.displayName)));

      press(document.activeElement!, 'End');
      expect(app.selectedId).toBe(chloe.id);
      press(document.activeElement!, 'ArrowDown'); // stays on the last row
      expect(app.selectedId).toBe(chloe.id);
      press(document.activeElement!, 'Home');
      expect(app.selectedId).toBe(alice.id);
      press(document.activeElement!, 'ArrowDown');
      press(document.activeElement!, 'ArrowDown');
      press(document.activeElement!, 'ArrowUp');
      expect(app.selectedId).toBe(bob.id);

      press(document.activeElement!, 'Enter');
      expect(fake.callsTo('switchTo')).toEqual([{ id: bob.id }]);
      await settle();
      expect(activeName(target)).toEqual([bob.displayName]);
    });

    it('Home then arrows then Enter straight from the focused list', async () => {
      const fake = new FakeBridge(snapshot());
      const { target } = await renderApp(fake);
      const accountsList = list(target);
      accountsList.focus();
      press(accountsList, 'Home');
      press(document.activeElement!, 'ArrowDown');
      press(document.activeElement!, 'ArrowDown');
      press(document.activeElement!, 'Enter');
      expect(fake.callsTo('switchTo')).toEqual([{ id: chloe.id }]);
    });

    it('Enter on a row button does what the button says', async () => {
      const fake = new FakeBridge(snapshot());
      const { target } = await renderApp(fake);
      const signOut = getByRole(target, 'button', `Sign out ${bob.displayName}`);
      const event = press(signOut, 'Enter');
      expect(event.defaultPrevented).toBe(false); // the browser activates the button
      expect(fake.callsTo('switchTo')).toEqual([]);
    });

    it("puts the list and only the selected row's buttons in the Tab order", async () => {
      const { target, app } = await renderApp(new FakeBridge(snapshot()));
      app.select(bob.id);
      flushSync();
      const tabbable = [...list(target).querySelectorAll<HTMLElement>('button')].filter(
        (b) => b.tabIndex === 0,
      );
      expect(tabbable.map((b) => b.getAttribute('aria-label'))).toEqual([
        `Switch to ${bob.displayName}`,
        `Sign out ${bob.displayName}`,
      ]);
    });

    it('Ctrl+1..9 switch to the first nine accounts of the (filtered) list', async () => {
      const fake = new FakeBridge(snapshot({ accounts: manyAccounts(30), activeId: 'u-00001' }));
      const { target } = await renderApp(fake);
      press(window, '1', { ctrlKey: true }); // the active one: nothing to do
      press(window, '3', { ctrlKey: true });
      await settle();
      expect(activeName(target)).toEqual(['Person 00003']);
      press(window, '9', { metaKey: true });
      await settle();
      expect(fake.callsTo('switchTo')).toEqual([{ id: 'u-00003' }, { id: 'u-00009' }]);

      typeInto(getByRole(target, 'searchbox', 'Search accounts') as HTMLInputElement, '2');
      // filtered: 00002, 00012, 00020..00029
      press(window, '2', { ctrlKey: true });
      expect(fake.callsTo('switchTo').at(-1)).toEqual({ id: 'u-00012' });
    });

    it('ignores Ctrl+digits while a dialog is open', async () => {
      const fake = new FakeBridge(snapshot());
      const { target } = await renderApp(fake);
      click(getByRole(target, 'button', 'Add account'));
      press(window, '2', { ctrlKey: true });
      expect(fake.callsTo('switchTo')).toEqual([]);
    });
  });

  describe('search', () => {
    it('appears only with more than five accounts', async () => {
      const fake = new FakeBridge(snapshot({ accounts: manyAccounts(5) }));
      const { target } = await renderApp(fake);
      expect(queryByRole(target, 'searchbox')).toBeNull();
      fake.push({ accounts: manyAccounts(6) });
      flushSync();
      getByRole(target, 'searchbox', 'Search accounts');
    });

    it('filters the list by name, email or username, ignoring case and accents', async () => {
      const accounts = [alice, bob, chloe, ...manyAccounts(5)];
      const { target } = await renderApp(new FakeBridge(snapshot({ accounts })));
      const search = getByRole(target, 'searchbox', 'Search accounts') as HTMLInputElement;
      expect(items(target)).toHaveLength(8);

      typeInto(search, 'CHLOE');
      expect(items(target).map((li) => li.querySelector('.row-name')?.textContent)).toEqual([
        chloe.displayName,
      ]);
      expect(items(target)[0]!.getAttribute('aria-setsize')).toBe('1');

      typeInto(search, 'example.org');
      expect(items(target).map((li) => li.querySelector('.row-name')?.textContent)).toEqual([
        bob.displayName,
      ]);

      typeInto(search, 'nobody-here');
      expect(items(target)).toHaveLength(0);
      expect(text(target)).toContain('No accounts match “nobody-here”.');

      typeInto(search, '');
      expect(items(target)).toHaveLength(8);
    });

    it('ArrowDown in the search box moves into the list', async () => {
      const accounts = manyAccounts(8);
      const { target, app } = await renderApp(
        new FakeBridge(snapshot({ accounts, activeId: null })),
      );
      const search = getByRole(target, 'searchbox', 'Search accounts') as HTMLInputElement;
      typeInto(search, '00004');
      press(search, 'ArrowDown');
      expect(app.selectedId).toBe('u-00004');
      expect(document.activeElement).toBe(rowMain(items(target)[0]!));
    });
  });

  describe('with thousands of accounts', () => {
    it('keeps fewer than 200 rows in the DOM at 10,000 accounts', async () => {
      const accounts = manyAccounts(10_000);
      const { target } = await renderApp(
        new FakeBridge(snapshot({ accounts, activeId: 'u-00001' })),
      );
      const rows = items(target);
      expect(rows.length).toBeGreaterThan(5);
      expect(rows.length).toBeLessThan(200);
      expect(rows[0]!.getAttribute('aria-setsize')).toBe('10000');
      expect(list(target).style.getPropertyValue('--rows-height')).toBe(`${10_000 * 64}px`);
    });

    it('renders the rows at the scroll position', async () => {
      const accounts = manyAccounts(10_000);
      const { target } = await renderApp(
        new FakeBridge(snapshot({ accounts, activeId: 'u-00001' })),
      );
      const viewport = list(target);
      viewport.scrollTop = 5000 * 64;
      viewport.dispatchEvent(new Event('scroll'));
      flushSync();
      const positions = items(target).map((li) => Number(li.getAttribute('aria-posinset')));
      expect(positions).toContain(5001);
      expect(positions).toContain(5005);
      expect(positions).not.toContain(4900);
      // The selected row stays mounted (first), so keyboard focus is never dropped.
      expect(positions[0]).toBe(1);
      expect(positions.length).toBeLessThan(200);
      const row = items(target).find((li) => li.getAttribute('aria-posinset') === '5001')!;
      expect(row.style.transform).toBe(`translateY(${5000 * 64}px)`);
      expect(text(row)).toContain('Person 05001');
    });

    it('End jumps to the last of 10,000 accounts and scrolls it into view', async () => {
      const accounts = manyAccounts(10_000);
      const { target, app } = await renderApp(
        new FakeBridge(snapshot({ accounts, activeId: null })),
      );
      list(target).focus();
      press(list(target), 'End');
      expect(app.selectedId).toBe('u-10000');
      expect(list(target).scrollTop).toBeGreaterThan(9000 * 64);
      expect(document.activeElement?.closest('li')?.getAttribute('aria-posinset')).toBe('10000');
      expect(items(target).length).toBeLessThan(200);
    });
  });
});
