import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import type { StateSnapshot } from '../../shared/domain';
import { boot, NO_BRIDGE_MESSAGE } from './boot';
import { FakeBridge, profileOf } from '../../../test/support/renderer/fake-bridge';
import { alice, bob, snapshot } from '../../../test/support/renderer/fixtures';
import {
  click,
  getByRole,
  queryAllByRole,
  queryByRole,
  renderApp,
  settle,
  text,
} from '../../../test/support/renderer/dom';

afterEach(() => {
  vi.useRealTimers();
});

const offline = (nextRetryAt: number): StateSnapshot['connection'] => ({
  status: 'offline',
  tried: ['http://localhost:39300', 'http://localhost:1000'],
  error: { kind: 'unreachable', message: 'ECONNREFUSED' },
  nextRetryAt,
});

describe('connection banner', () => {
  it('says which Pieces OS it is connected to', async () => {
    const view = await renderApp(new FakeBridge(snapshot()));
    expect(text(getByRole(view.target, 'status'))).toBe(
      'Connected to Pieces OS 12.3.0 at http://localhost:39300',
    );
  });

  it('says it is connecting until main knows', async () => {
    const fake = new FakeBridge(snapshot({ connection: { status: 'connecting' } }));
    const view = await renderApp(fake);
    expect(text(getByRole(view.target, 'status'))).toBe('Connecting to Pieces OS…');
  });

  it('when offline: what was tried, a live countdown, Retry now, and actions disabled', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(new Date('2026-01-01T10:00:00Z'));
    const fake = new FakeBridge(snapshot({ connection: offline(Date.now() + 12_000) }));
    const view = await renderApp(fake);
    const { target } = view;
    const status = text(getByRole(target, 'status'));
    expect(status).toContain('Pieces OS is not reachable.');
    expect(status).toContain('Tried http://localhost:39300 and http://localhost:1000.');
    expect(text(target)).toContain('Retrying in 12 seconds');
    vi.advanceTimersByTime(3000);
    flushSync();
    expect(text(target)).toContain('Retrying in 9 seconds');

    for (const name of [
      'Add account',
      'Sign out of all accounts',
      `Switch to ${bob.displayName}`,
      `Sign out ${alice.displayName}`,
    ]) {
      expect((getByRole(target, 'button', name) as HTMLButtonElement).disabled, name).toBe(true);
    }

    const retry = getByRole(target, 'button', 'Retry now') as HTMLButtonElement;
    expect(retry.disabled).toBe(false);
    click(retry);
    await settle();
    expect(fake.callsTo('retryConnection')).toHaveLength(1);
  });

  it('when Pieces OS answers with an error, says so instead of "not reachable"', async () => {
    const fake = new FakeBridge(
      snapshot({
        connection: {
          status: 'offline',
          tried: ['http://localhost:39300'],
          error: { kind: 'http', status: 500, message: 'Pieces OS ran into an internal error.' },
          nextRetryAt: Date.now() + 5000,
        },
      }),
    );
    const view = await renderApp(fake);
    const status = text(getByRole(view.target, 'status'));
    expect(status).toContain('Pieces OS answered with an error.');
    expect(status).toContain('internal error (HTTP 500)');
    expect(status).not.toContain('not reachable');
    getByRole(view.target, 'button', 'Retry now');
  });

  it('comes back online when main pushes the news', async () => {
    const fake = new FakeBridge(snapshot({ connection: offline(Date.now() + 5000) }));
    const view = await renderApp(fake);
    fake.push({ connection: { status: 'online', url: 'http://localhost:1000' } });
    flushSync();
    expect(text(getByRole(view.target, 'status'))).toBe(
      'Connected to Pieces OS at http://localhost:1000',
    );
    expect(queryByRole(view.target, 'button', 'Retry now')).toBeNull();
    expect((getByRole(view.target, 'button', 'Add account') as HTMLButtonElement).disabled).toBe(
      false,
    );
  });

  it('shows a failed retry as an alert next to the button', async () => {
    const fake = new FakeBridge(snapshot({ connection: offline(Date.now() + 5000) }));
    fake.handlers.retryConnection = () => ({
      ok: false,
      error: { kind: 'timeout', message: 't' },
    });
    const view = await renderApp(fake);
    click(getByRole(view.target, 'button', 'Retry now'));
    await settle();
    expect(text(getByRole(view.target, 'alert'))).toMatch(/took too long/);
  });
});

describe('window', () => {
  it('opens the Add account dialog when the tray asks for it', async () => {
    const fake = new FakeBridge(snapshot());
    const view = await renderApp(fake);
    expect(queryByRole(view.target, 'dialog')).toBeNull();
    fake.command('add-account');
    flushSync();
    getByRole(view.target, 'dialog', 'Add account');
  });

  it('has exactly one status region, the connection banner, whatever else is on screen', async () => {
    const fake = new FakeBridge(
      snapshot({ notices: [{ id: 'n', level: 'info', message: 'Hi' }], tokensPersist: false }),
    );
    const view = await renderApp(fake);
    click(getByRole(view.target, 'button', 'Sign out of all accounts'));
    click(getByRole(getByRole(view.target, 'alertdialog'), 'button', 'Sign out'));
    await settle();
    expect(text(view.target)).toContain('Signed out of 3 accounts.');
    expect(queryAllByRole(document.body, 'status')).toHaveLength(1);
  });

  it('shows notices and dismisses them through main', async () => {
    const fake = new FakeBridge(
      snapshot({ notices: [{ id: 'n1', level: 'warning', message: 'Token for Bob expired.' }] }),
    );
    const view = await renderApp(fake);
    expect(text(view.target)).toContain('Token for Bob expired.');
    click(getByRole(view.target, 'button', 'Dismiss'));
    await settle();
    expect(fake.callsTo('dismissNotice')).toEqual([{ id: 'n1' }]);
    expect(text(view.target)).not.toContain('Token for Bob expired.');
  });

  it('says gently when sign-ins will not survive a restart', async () => {
    const ephemeral = await renderApp(new FakeBridge(snapshot({ tokensPersist: false })));
    expect(text(ephemeral.target)).toMatch(/add your accounts again after the app restarts/);
    ephemeral.destroy();
    const persistent = await renderApp(new FakeBridge(snapshot()));
    expect(text(persistent.target)).not.toMatch(/after the app restarts/);
  });

  it('shows an empty state with one Add account button when there are no accounts', async () => {
    const fake = new FakeBridge(snapshot({ accounts: [], activeId: null }));
    const view = await renderApp(fake);
    expect(text(view.target)).toContain('No accounts yet');
    expect(queryByRole(view.target, 'list', 'Accounts')).toBeNull();
    expect(queryByRole(view.target, 'button', 'Sign out of all accounts')).toBeNull();
    click(getByRole(view.target, 'button', 'Add account'));
    getByRole(view.target, 'dialog', 'Add account');
  });

  it('applies the theme setting as data-theme', async () => {
    await renderApp(new FakeBridge(snapshot(), { theme: 'dark' }));
    expect(document.documentElement.dataset.theme).toBe('dark');
  });

  it('explains a failed first load instead of an empty window', async () => {
    const fake = new FakeBridge(snapshot());
    fake.handlers.getState = () => ({ ok: false, error: { kind: 'internal', message: 'x' } });
    const view = await renderApp(fake);
    expect(text(getByRole(view.target, 'alert'))).toMatch(/^Could not load your accounts\./);
    fake.handlers.getState = undefined;
    click(getByRole(view.target, 'button', 'Try again'));
    await settle();
    getByRole(view.target, 'list', 'Accounts');
  });
});

describe('account details', () => {
  it('shows the selected account, dates in the local format', async () => {
    const fake = new FakeBridge(snapshot());
    const created = '2024-03-05T14:30:00Z';
    fake.handlers.getDetails = ({ id }) => ({
      ok: true,
      value: {
        ...profileOf(id === bob.id ? bob : alice),
        name: 'Robert Builder',
        vanityName: 'bob-builds',
        created,
        allocation: { status: 'RUNNING', region: 'us-east1' },
      },
    });
    const view = await renderApp(fake);
    click(
      queryAllByRole(view.target, 'listitem')
        .find((li) => text(li).includes(bob.displayName))!
        .querySelector<HTMLElement>('.row-main')!,
    );
    await settle();
    const region = getByRole(view.target, 'region', 'Account details');
    const t = text(region);
    expect(t).toContain('Robert Builder');
    expect(t).toContain(bob.email);
    expect(t).toContain('bob-builds');
    expect(t).toContain(
      new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(
        new Date(created),
      ),
    );
    expect(t).toContain('Google');
    expect(t).toContain('Running · us-east1');
  });

  it('shows loading, then an error with Try again', async () => {
    const fake = new FakeBridge(snapshot());
    let answer: ((r: Awaited<ReturnType<typeof fake.bridge.getDetails>>) => void) | undefined;
    fake.handlers.getDetails = () => new Promise((r) => (answer = r));
    const view = await renderApp(fake);
    const region = getByRole(view.target, 'region', 'Account details');
    expect(region.getAttribute('aria-busy')).toBe('true');
    expect(text(region)).toContain('Loading details…');
    answer!({ ok: false, error: { kind: 'bad-response', message: 'users.0.id' } });
    await settle();
    expect(text(getByRole(region, 'alert'))).toMatch(/does not understand/);
    fake.handlers.getDetails = undefined;
    click(getByRole(region, 'button', 'Try again'));
    await settle();
    expect(queryByRole(region, 'alert')).toBeNull();
    expect(text(region)).toContain(alice.email);
  });
});

describe('avatar', () => {
  it('shows the picture, and initials when it fails to load', async () => {
    const withPicture = { ...alice, picture: 'https://example.com/a.png' };
    const view = await renderApp(new FakeBridge(snapshot({ accounts: [withPicture, bob] })));
    const row = queryAllByRole(view.target, 'listitem')[0]!;
    const img = row.querySelector('img')!;
    expect(img.getAttribute('src')).toBe(withPicture.picture);
    img.dispatchEvent(new Event('error'));
    flushSync();
    expect(row.querySelector('img')).toBeNull();
    expect(row.querySelector('.avatar-initials')?.textContent).toBe('AE');
  });
});

describe('boot', () => {
  it('explains itself when opened without the app bridge', () => {
    const target = document.createElement('div');
    boot(target, undefined);
    expect(target.textContent).toBe(NO_BRIDGE_MESSAGE);
  });

  it('mounts the app when the bridge is there', async () => {
    const target = document.createElement('div');
    const destroy = boot(target, new FakeBridge(snapshot()).bridge);
    await settle();
    getByRole(target, 'list', 'Accounts');
    destroy();
    expect(target.textContent).toBe('');
  });
});
