import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../shared/domain';
import { FakeBridge } from '../../../../test/support/renderer/fake-bridge';
import { alice, bob, chloe, snapshot } from '../../../../test/support/renderer/fixtures';
import {
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
    click(getByRole(target, 'button', `Sign out ${bob.displayName}`));
    const confirm = getByRole(target, 'alertdialog');
    expect(text(confirm)).toContain(bob.displayName);
    expect(document.activeElement).toBe(getByRole(confirm, 'button', 'Cancel'));
    click(getByRole(confirm, 'button', 'Cancel'));
    await settle();
    expect(queryByRole(target, 'alertdialog')).toBeNull();

    click(getByRole(target, 'button', `Sign out ${bob.displayName}`));
    press(getByRole(target, 'alertdialog'), 'Escape');
    await settle();
    expect(queryByRole(target, 'alertdialog')).toBeNull();
    expect(fake.callsTo('signOut')).toEqual([]);
  });

  it('signs the account out after "Sign out" and removes its row', async () => {
    const fake = new FakeBridge(snapshot());
    const view = await renderApp(fake);
    const { target } = view;
    click(getByRole(target, 'button', `Sign out ${bob.displayName}`));
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
    click(getByRole(target, 'button', `Sign out ${chloe.displayName}`));
    click(getByRole(getByRole(target, 'alertdialog'), 'button', 'Sign out'));
    await settle();
    const row = queryAllByRole(target, 'listitem').find((li) =>
      text(li).includes(chloe.displayName),
    )!;
    expect(text(getByRole(row, 'alert'))).toMatch(/Another action is still running/);
  });

  it('signs out of all accounts after confirmation and reports the failures', async () => {
    const fake = new FakeBridge(snapshot());
    const error: AppError = { kind: 'timeout', message: 't' };
    fake.handlers.signOutAll = () => {
      fake.push({ accounts: [bob], activeId: null });
      return {
        ok: true,
        value: {
          signedOut: [alice.id, chloe.id],
          failed: [{ id: bob.id, displayName: bob.displayName, error }],
        },
      };
    };
    const view = await renderApp(fake);
    const { target } = view;
    click(getByRole(target, 'button', 'Sign out of all accounts'));
    const confirm = getByRole(target, 'alertdialog');
    getByRole(confirm, 'button', 'Cancel');
    click(getByRole(confirm, 'button', 'Sign out'));
    await settle();
    expect(fake.callsTo('signOutAll')).toEqual([undefined]);
    const report = getByRole(target, 'alert');
    expect(text(report)).toContain('Signed out of 2 accounts. Could not sign out of 1:');
    expect(text(report)).toContain(`${bob.displayName}: Pieces OS took too long to answer.`);
  });
});
