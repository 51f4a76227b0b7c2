import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../shared/domain';
import { FakeBridge } from '../../../../test/support/renderer/fake-bridge';
import { alice, bob, chloe, snapshot } from '../../../../test/support/renderer/fixtures';
import {
  chooseMenuItem,
  click,
  getByRole,
  press,
  queryAllByRole,
  queryByRole,
  renderApp,
  settle,
  text,
} from '../../../../test/support/renderer/dom';

describe('sign out', () => {
  it('asks first, and Cancel or Escape signs nobody out', async () => {
    const fake = new FakeBridge(snapshot());
    const view = await renderApp(fake);
    const { target } = view;
    chooseMenuItem(target, `More actions for ${bob.displayName}`, 'Sign out');
    const confirm = getByRole(target, 'alertdialog');
    expect(text(confirm)).toContain(bob.displayName);
    expect(document.activeElement).toBe(getByRole(confirm, 'button', 'Cancel'));
    click(getByRole(confirm, 'button', 'Cancel'));
    await settle();
    expect(queryByRole(target, 'alertdialog')).toBeNull();

    chooseMenuItem(target, `More actions for ${bob.displayName}`, 'Sign out');
    press(getByRole(target, 'alertdialog'), 'Escape');
    await settle();
    expect(queryByRole(target, 'alertdialog')).toBeNull();
    expect(fake.callsTo('signOut')).toEqual([]);
  });

  it('signs the account out after "Sign out" and removes its row', async () => {
    const fake = new FakeBridge(snapshot());
    const view = await renderApp(fake);
    const { target } = view;
    chooseMenuItem(target, `More actions for ${bob.displayName}`, 'Sign out');
    click(getByRole(getByRole(target, 'alertdialog'), 'button', 'Sign out'));
    await settle();
    expect(fake.callsTo('signOut')).toEqual([{ id: bob.id }]);
    expect(queryByRole(target, 'alertdialog')).toBeNull();
    expect(text(getByRole(target, 'list', 'Accounts'))).not.toContain(bob.displayName);
  });

  it('shows a failed sign-out on the row', async () => {
    const fake = new FakeBridge(snapshot());
    fake.handlers.signOut = () => ({ ok: false, error: { kind: 'busy', message: 'b' } });
    const view = await renderApp(fake);
    const { target } = view;
    chooseMenuItem(target, `More actions for ${chloe.displayName}`, 'Sign out');
    click(getByRole(getByRole(target, 'alertdialog'), 'button', 'Sign out'));
    await settle();
    const row = queryAllByRole(target, 'listitem').find((li) =>
      text(li).includes(chloe.displayName),
    )!;
    expect(text(getByRole(row, 'alert'))).toMatch(/Another action is still running/);
  });

  it('signs out of all accounts after confirmation, naming the count', async () => {
    const fake = new FakeBridge(snapshot());
    const view = await renderApp(fake);
    const { target } = view;
    chooseMenuItem(target, 'More', 'Sign out of all accounts…');
    const confirm = getByRole(target, 'alertdialog');
    getByRole(confirm, 'button', 'Cancel');
    click(getByRole(confirm, 'button', 'Sign out of 3 accounts'));
    await settle();
    expect(fake.callsTo('signOutAll')).toEqual([undefined]);
  });

  it('groups identical failures, names who failed, and retries just those', async () => {
    const fake = new FakeBridge(snapshot());
    const down: AppError = { kind: 'timeout', message: 't1' };
    fake.handlers.signOutAll = () => {
      fake.push({ accounts: [alice, bob, chloe].filter((a) => a.id !== alice.id), activeId: null });
      return {
        ok: true,
        value: {
          signedOut: [alice.id],
          failed: [
            { id: bob.id, displayName: bob.displayName, error: down },
            { id: chloe.id, displayName: chloe.displayName, error: { ...down, message: 't2' } },
          ],
        },
      };
    };
    const view = await renderApp(fake);
    const { target } = view;
    chooseMenuItem(target, 'More', 'Sign out of all accounts…');
    click(getByRole(getByRole(target, 'alertdialog'), 'button', 'Sign out of 3 accounts'));
    await settle();
    const report = getByRole(target, 'alert');
    expect(text(report)).toContain('Signed out of 1 account. Could not sign out of 2 accounts:');
    // One cause, said once, with both names.
    expect(text(report).match(/took too long/g)).toHaveLength(1);
    expect(text(report)).toContain(`(${bob.displayName} and ${chloe.displayName})`);
    click(getByRole(target, 'button', 'Retry the 2 that failed'));
    await settle();
    expect(fake.callsTo('signOutMany')).toEqual([{ ids: [bob.id, chloe.id] }]);
    expect(text(target)).toContain('Signed out of 2 accounts.');
    expect(queryByRole(target, 'button', /^Retry the/)).toBeNull();
  });
});
