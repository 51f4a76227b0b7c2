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
    // The provider is a mark with a tooltip (and a hidden word), so the email keeps the width.
    expect(a.querySelector('.provider')?.getAttribute('title')).toBe('Signs in with GitHub');
    expect(a.getAttribute('aria-current')).toBe('true');
    expect(text(a)).toContain('Active');
    const b = itemOf(target, bob.displayName);
    expect(b.hasAttribute('aria-current')).toBe(false);
    expect(text(b)).not.toContain('Active');
    expect(b.querySelector('.provider')?.getAttribute('title')).toBe('Signs in with Google');
    expect(b.getAttribute('aria-posinset')).toBe('2');
    expect(b.getAttribute('aria-setsize')).toBe('3');
  });

  it('lists the active account first, then the rest by name, whatever order main sends', async () => {
    const zed = { ...bob, id: 'u-zed', displayName: 'Zed Last', email: 'zed@example.com' };
    const fake = new FakeBridge(
      snapshot({ accounts: [zed, chloe, bob, alice], activeId: chloe.id }),
    );
    const { target } = await renderApp(fake);
    expect(items(target).map((li) => li.querySelector('.row-name')?.textContent)).toEqual([
      chloe.displayName,
      alice.displayName,
      bob.displayName,
      'Zed Last',
    ]);
    // The first nine show their shortcut (not the active one: nothing to switch to).
    expect(text(itemOf(target, alice.displayName))).toContain('Ctrl+2');
    expect(
      getByRole(target, 'button', `Switch to ${alice.displayName}`).getAttribute(
        'aria-keyshortcuts',
      ),
    ).toBe('Control+2');
  });

  it('each row but the active one is the switch; every row has its More actions menu', async () => {
    const { target } = await renderApp(new FakeBridge(snapshot()));
    expect(queryByRole(target, 'button', `Switch to ${alice.displayName}`)).toBeNull();
    getByRole(target, 'button', `Switch to ${bob.displayName}`);
    getByRole(target, 'button', `Switch to ${chloe.displayName}`);
    for (const a of [alice, bob, chloe])
      getByRole(target, 'button', `More actions for ${a.displayName}`);
    // No Sign out buttons on the rows: it is in the menu.
    expect(queryAllByRole(list(target), 'button', /^Sign out/)).toHaveLength(0);
  });

  it('a row that needs a sign-in offers "Sign in as", which runs the Pieces sign-in for it', async () => {
    const needy = { ...bob, hasToken: false, state: 'sign-in-needed' as const };
    const fake = new FakeBridge(snapshot({ accounts: [alice, needy, chloe] }));
    const { target } = await renderApp(fake);
    expect(queryByRole(target, 'button', `Switch to ${bob.displayName}`)).toBeNull();
    expect(text(itemOf(target, bob.displayName))).toContain('Sign-in needed');
    click(getByRole(target, 'button', `Sign in as ${bob.displayName}`));
    await settle();
    expect(fake.callsTo('signInWithPieces')).toEqual([{ accountId: bob.id }]);
    expect(fake.callsTo('switchTo')).toEqual([]);
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

    const next = { ...fake.state, revision: fake.state.revision + 1, activeId: bob.id };
    answer.resolve({ ok: true, value: fake.answer(next) });
    fake.state = next;
    await settle();
    expect(itemOf(target, bob.displayName).hasAttribute('aria-busy')).toBe(false);
    expect(activeName(target)).toEqual([bob.displayName]);
    expect(queryByRole(target, 'button', `Switch to ${bob.displayName}`)).toBeNull();
    getByRole(target, 'button', `Switch to ${alice.displayName}`);
  });

  it('shows a failed switch as an alert on that row, in words, and keeps the active account', async () => {
    const fake = new FakeBridge(snapshot());
    const error: AppError = { kind: 'http', status: 500, message: 'database is locked' };
    fake.handlers.switchTo = () => ({ ok: false, error });
    const { target } = await renderApp(fake);
    click(getByRole(target, 'button', `Switch to ${bob.displayName}`));
    await settle();
    const alert = getByRole(itemOf(target, bob.displayName), 'alert');
    expect(text(alert)).toContain('Pieces OS ran into a problem.');
    expect(text(alert)).not.toMatch(/500|HTTP|database/);
    expect(queryAllByRole(itemOf(target, chloe.displayName), 'alert')).toHaveLength(0);
    expect(activeName(target)).toEqual([alice.displayName]);
  });

  describe('More actions menu', () => {
    it('opens with the keyboard on its first item, moves with arrows, and Escape returns focus', async () => {
      const { target } = await renderApp(new FakeBridge(snapshot()));
      const more = getByRole(target, 'button', `More actions for ${bob.displayName}`);
      expect(more.getAttribute('aria-haspopup')).toBe('menu');
      press(more, 'Enter');
      await settle();
      const menu = getByRole(document.body, 'menu', `More actions for ${bob.displayName}`);
      expect(more.getAttribute('aria-expanded')).toBe('true');
      const names = queryAllByRole(menu, 'menuitem').map(text);
      expect(names).toEqual(['Show details', 'Sign out', 'Forget saved sign-in']);
      expect(document.activeElement).toBe(queryAllByRole(menu, 'menuitem')[0]);
      press(document.activeElement!, 'ArrowDown');
      expect(text(document.activeElement!)).toBe('Sign out');
      press(document.activeElement!, 'End');
      expect(text(document.activeElement!)).toBe('Forget saved sign-in');
      press(document.activeElement!, 'ArrowDown'); // wraps
      expect(text(document.activeElement!)).toBe('Show details');
      press(document.activeElement!, 'Escape');
      expect(queryByRole(document.body, 'menu')).toBeNull();
      expect(document.activeElement).toBe(more);
    });

    it('Sign out asks first; Show details selects the account and focuses the details', async () => {
      const fake = new FakeBridge(snapshot());
      const { target, app } = await renderApp(fake);
      click(getByRole(target, 'button', `More actions for ${bob.displayName}`));
      await settle();
      click(getByRole(document.body, 'menuitem', 'Show details'));
      await settle();
      expect(app.selectedId).toBe(bob.id);
      const details = getByRole(target, 'region', 'Account details');
      expect(document.activeElement).toBe(details);
      expect(text(details)).toContain(bob.email);

      click(getByRole(target, 'button', `More actions for ${bob.displayName}`));
      await settle();
      click(getByRole(document.body, 'menuitem', 'Sign out'));
      await settle();
      const confirm = getByRole(document.body, 'alertdialog');
      click(getByRole(confirm, 'button', 'Sign out'));
      await settle();
      expect(fake.callsTo('signOut')).toEqual([{ id: bob.id }]);
    });

    it('offers no Sign out while Pieces OS is away, and no Forget without a saved sign-in', async () => {
      const needy = { ...bob, hasToken: false, state: 'sign-in-needed' as const };
      const fake = new FakeBridge(snapshot({ accounts: [alice, needy] }));
      const { target } = await renderApp(fake);
      click(getByRole(target, 'button', `More actions for ${bob.displayName}`));
      await settle();
      expect(queryAllByRole(document.body, 'menuitem').map(text)).toEqual([
        'Show details',
        'Sign out',
      ]);
      press(document.activeElement!, 'Escape');
      fake.push({
        connection: {
          status: 'offline',
          tried: [],
          error: { kind: 'unreachable', message: 'x' },
          nextRetryAt: Date.now() + 5000,
        },
      });
      await settle();
      click(getByRole(target, 'button', `More actions for ${alice.displayName}`));
      await settle();
      expect(queryAllByRole(document.body, 'menuitem').map(text)).toEqual([
        'Show details',
        'Forget saved sign-in',
      ]);
    });

    it('Forget saved sign-in asks, then tells main', async () => {
      const fake = new FakeBridge(snapshot());
      const { target } = await renderApp(fake);
      click(getByRole(target, 'button', `More actions for ${chloe.displayName}`));
      await settle();
      click(getByRole(document.body, 'menuitem', 'Forget saved sign-in'));
      await settle();
      click(getByRole(getByRole(document.body, 'alertdialog'), 'button', 'Forget sign-in'));
      await settle();
      expect(fake.callsTo('forgetSignIn')).toEqual([{ id: chloe.id }]);
      getByRole(target, 'button', `Sign in as ${chloe.displayName}`);
    });
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

    it("Enter on a row's More button opens its menu, and switches nothing", async () => {
      const fake = new FakeBridge(snapshot());
      const { target } = await renderApp(fake);
      const more = getByRole(target, 'button', `More actions for ${bob.displayName}`);
      press(more, 'Enter');
      await settle();
      getByRole(document.body, 'menu');
      expect(fake.callsTo('switchTo')).toEqual([]);
    });

    it("puts the list and only the selected row's More button in the Tab order", async () => {
      const { target, app } = await renderApp(new FakeBridge(snapshot()));
      app.select(bob.id);
      flushSync();
      const tabbable = [...list(target).querySelectorAll<HTMLElement>('button')].filter(
        (b) => b.tabIndex === 0,
      );
      expect(tabbable.map((b) => b.getAttribute('aria-label'))).toEqual([
        `More actions for ${bob.displayName}`,
      ]);
    });

    it('type-ahead: letters typed in the list filter it, and Enter switches to the top match', async () => {
      const fake = new FakeBridge(snapshot());
      const { target } = await renderApp(fake);
      expect(queryByRole(target, 'searchbox')).toBeNull(); // three accounts: no field yet
      const accountsList = list(target);
      accountsList.focus();
      press(accountsList, 'c');
      const search = getByRole(target, 'searchbox', 'Filter accounts') as HTMLInputElement;
      expect(document.activeElement).toBe(search);
      typeInto(search, 'ch');
      expect(items(target).map((li) => li.querySelector('.row-name')?.textContent)).toEqual([
        chloe.displayName,
      ]);
      press(search, 'Enter');
      await settle();
      expect(fake.callsTo('switchTo')).toEqual([{ id: chloe.id }]);
      expect(activeName(target)).toEqual([chloe.displayName]);
    });

    it('Escape in the filter clears it and goes back to the list', async () => {
      const { target, app } = await renderApp(new FakeBridge(snapshot()));
      press(list(target), 'b');
      const search = getByRole(target, 'searchbox', 'Filter accounts') as HTMLInputElement;
      press(search, 'Escape');
      expect(app.query).toBe('');
      expect(items(target)).toHaveLength(3);
      expect(document.activeElement).toBe(list(target));
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

      typeInto(getByRole(target, 'searchbox', 'Filter accounts') as HTMLInputElement, '2');
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
    it('is shown from the start with more than five accounts', async () => {
      const fake = new FakeBridge(snapshot({ accounts: manyAccounts(5) }));
      const { target } = await renderApp(fake);
      expect(queryByRole(target, 'searchbox')).toBeNull();
      fake.push({ accounts: manyAccounts(6) });
      flushSync();
      getByRole(target, 'searchbox', 'Filter accounts');
    });

    it('filters the list by name, email or username, ignoring case and accents', async () => {
      const accounts = [alice, bob, chloe, ...manyAccounts(5)];
      const { target } = await renderApp(new FakeBridge(snapshot({ accounts })));
      const search = getByRole(target, 'searchbox', 'Filter accounts') as HTMLInputElement;
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
      const search = getByRole(target, 'searchbox', 'Filter accounts') as HTMLInputElement;
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
      expect(list(target).style.getPropertyValue('--rows-height')).toBe(`${10_000 * 56}px`);
    });

    it('renders the rows at the scroll position', async () => {
      const accounts = manyAccounts(10_000);
      const { target } = await renderApp(
        new FakeBridge(snapshot({ accounts, activeId: 'u-00001' })),
      );
      const viewport = list(target);
      viewport.scrollTop = 5000 * 56;
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
      expect(row.style.transform).toBe(`translateY(${5000 * 56}px)`);
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
      expect(list(target).scrollTop).toBeGreaterThan(9000 * 56);
      expect(document.activeElement?.closest('li')?.getAttribute('aria-posinset')).toBe('10000');
      expect(items(target).length).toBeLessThan(200);
    });
  });
});
