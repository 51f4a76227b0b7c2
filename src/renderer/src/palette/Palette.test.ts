// The quick switcher view against a fake bridge: what it lists, the keys, what Enter does, and
// that it asks main to close (Escape, after a switch) and starts afresh when shown again.
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/domain';
import { deferred, FakeBridge } from '../../../../test/support/renderer/fake-bridge';
import { alice, bob, chloe, snapshot } from '../../../../test/support/renderer/fixtures';
import {
  getByRole,
  press,
  queryAllByRole,
  settle,
  text,
  typeInto,
} from '../../../../test/support/renderer/dom';
import Palette from './Palette.svelte';
import { PaletteState } from './palette-state.svelte';
import { viewOf } from '../view';

const dana: Account = {
  id: 'u-dana',
  displayName: 'Dana Scully',
  email: 'dana@fbi.example',
  connected: true,
  hasToken: false,
  state: 'sign-in-needed',
};

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function renderPalette(
  fake = new FakeBridge(snapshot({ accounts: [alice, bob, chloe, dana] })),
) {
  const target = document.createElement('div');
  document.body.append(target);
  const palette = new PaletteState(fake.bridge);
  const component = mount(Palette, { target, props: { palette } });
  cleanups.push(() => {
    void unmount(component);
    target.remove();
  });
  flushSync();
  await settle();
  const search = getByRole(target, 'combobox', 'Switch to account') as HTMLInputElement;
  const options = () => queryAllByRole(target, 'option');
  const selected = () => options().find((o) => o.getAttribute('aria-selected') === 'true');
  return { fake, target, palette, search, options, selected };
}

const names = (options: HTMLElement[]) =>
  options.map((o) => o.querySelector('.palette-name')?.textContent);

describe('the quick switcher view', () => {
  it('is the view ?view=palette asks for; anything else is the app window', () => {
    expect(viewOf('?view=palette')).toBe('palette');
    expect(viewOf('?key=abc&view=palette')).toBe('palette');
    expect(viewOf('')).toBe('window');
    expect(viewOf('?view=Palette')).toBe('window');
    expect(viewOf('?view=settings')).toBe('window');
  });

  it('opens with the search focused, the active account first, and the next one selected', async () => {
    const { search, options, selected } = await renderPalette();
    expect(document.activeElement).toBe(search);
    expect(names(options())).toEqual([
      'Alice Example',
      'Bob Builder',
      'Chloé Zhang',
      'Dana Scully',
    ]);
    expect(text(options()[0]!)).toContain('Active');
    expect(text(options()[3]!)).toContain('Sign in as Dana Scully…');
    expect(selected()).toBe(options()[1]);
    expect(search.getAttribute('aria-activedescendant')).toBe(options()[1]!.id);
    expect(document.title).toBe('Quick switch');
  });

  it('filters as the person types, and selects the first match that is not active', async () => {
    const { search, options, selected, target } = await renderPalette();
    typeInto(search, 'example.');
    expect(names(options())).toEqual(['Alice Example', 'Bob Builder', 'Chloé Zhang']);
    expect(names([selected()!])).toEqual(['Bob Builder']);
    typeInto(search, 'chloe');
    expect(names(options())).toEqual(['Chloé Zhang']);
    typeInto(search, 'zzz');
    expect(options()).toHaveLength(0);
    expect(target.textContent).toContain('No account matches “zzz”.');
    expect(search.hasAttribute('aria-activedescendant')).toBe(false);
  });

  it('moves with Up and Down (wrapping), and Enter switches to the selection, then closes', async () => {
    const { fake, search, options, selected } = await renderPalette();
    press(search, 'ArrowDown');
    expect(selected()).toBe(options()[2]);
    press(search, 'ArrowUp');
    press(search, 'ArrowUp');
    press(search, 'ArrowUp');
    expect(selected()).toBe(options()[3]);
    press(search, 'ArrowDown');
    press(search, 'ArrowDown');
    expect(selected()).toBe(options()[1]);
    press(search, 'Enter');
    await settle();
    expect(fake.callsTo('switchTo')).toEqual([{ id: bob.id }]);
    expect(fake.callsTo('closePalette')).toHaveLength(1);
    // Bob is active now: first in the list when it opens again, with an empty search.
    expect(search.value).toBe('');
    expect(names(options())[0]).toBe('Bob Builder');
  });

  it('keeps the palette open with the reason when a switch fails', async () => {
    const fake = new FakeBridge(snapshot({ accounts: [alice, bob, chloe, dana] }));
    fake.handlers.switchTo = () => ({
      ok: false,
      error: { kind: 'unreachable', message: 'connect ECONNREFUSED' },
    });
    const { target, search } = await renderPalette(fake);
    press(search, 'Enter');
    await settle();
    expect(getByRole(target, 'alert').textContent).toMatch(
      /Could not switch to Bob Builder\. Pieces OS is not reachable/,
    );
    expect(fake.callsTo('closePalette')).toEqual([]);
  });

  it('says "Switching…" on the row while the switch runs, and takes no second Enter', async () => {
    const fake = new FakeBridge(snapshot({ accounts: [alice, bob, chloe, dana] }));
    const answer =
      deferred<ReturnType<typeof fake.bridge.switchTo> extends Promise<infer R> ? R : never>();
    fake.handlers.switchTo = () => answer.promise;
    const { search, options } = await renderPalette(fake);
    press(search, 'Enter');
    await settle();
    expect(text(options()[1]!)).toContain('Switching…');
    press(search, 'ArrowDown');
    press(search, 'Enter');
    expect(fake.callsTo('switchTo')).toHaveLength(1);
    answer.resolve({ ok: true, value: fake.answer(fake.state) });
    await settle();
    expect(fake.callsTo('closePalette')).toHaveLength(1);
  });

  it('starts "Sign in as" for an account without a saved sign-in, and closes', async () => {
    const { fake, search } = await renderPalette();
    typeInto(search, 'dana');
    press(search, 'Enter');
    await settle();
    expect(fake.callsTo('signInWithPieces')).toEqual([{ accountId: dana.id }]);
    expect(fake.callsTo('switchTo')).toEqual([]);
    expect(fake.callsTo('closePalette')).toHaveLength(1);
  });

  it('Enter on the active account only closes', async () => {
    const { fake, search } = await renderPalette();
    typeInto(search, 'alice');
    press(search, 'Enter');
    await settle();
    expect(fake.callsTo('switchTo')).toEqual([]);
    expect(fake.callsTo('closePalette')).toHaveLength(1);
  });

  it('Escape asks main to close it; losing focus starts afresh for the next opening', async () => {
    const { fake, search, options, selected } = await renderPalette();
    typeInto(search, 'bob');
    press(search, 'Escape');
    await settle();
    expect(fake.callsTo('closePalette')).toHaveLength(1);
    expect(search.value).toBe('');

    typeInto(search, 'chl');
    window.dispatchEvent(new Event('blur'));
    flushSync();
    expect(search.value).toBe('');
    expect(options()).toHaveLength(4);
    expect(selected()).toBe(options()[1]);
  });

  it('a click chooses the row', async () => {
    const { fake, options } = await renderPalette();
    options()[2]!.click();
    await settle();
    expect(fake.callsTo('switchTo')).toEqual([{ id: chloe.id }]);
  });

  it('follows pushed snapshots and says when Pieces OS is away', async () => {
    const { fake, target, options } = await renderPalette();
    fake.push({ activeId: chloe.id });
    flushSync();
    expect(names(options())[0]).toBe('Chloé Zhang');
    fake.push({
      connection: {
        status: 'offline',
        tried: [],
        error: { kind: 'unreachable', message: 'x' },
        nextRetryAt: 0,
      },
    });
    flushSync();
    expect(target.textContent).toContain('Pieces OS is not reachable');
  });

  it('takes the theme from Settings, read again each time it is shown', async () => {
    const fake = new FakeBridge(snapshot(), { theme: 'dark' });
    await renderPalette(fake);
    expect(document.documentElement.dataset.theme).toBe('dark');
    fake.settings = { ...fake.settings, theme: 'light' };
    window.dispatchEvent(new Event('focus'));
    await settle();
    expect(document.documentElement.dataset.theme).toBe('light');
  });
});
