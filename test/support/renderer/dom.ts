// Minimal role/name queries for component tests (the project takes no testing library).
// Names follow the parts of the accessible-name rules the app uses: aria-labelledby,
// aria-label, <label>, then text content.
import { flushSync, mount, unmount } from 'svelte';
import { afterEach } from 'vitest';
import App from '../../../src/renderer/src/App.svelte';
import { AppState, type AppStateOptions } from '../../../src/renderer/src/lib/app-state.svelte';
import type { FakeBridge } from './fake-bridge';

const IMPLICIT: Record<string, string> = {
  button: 'button',
  ul: 'list',
  ol: 'list',
  li: 'listitem',
  dialog: 'dialog',
  textarea: 'textbox',
  select: 'combobox',
  h1: 'heading',
  h2: 'heading',
  h3: 'heading',
};

export function roleOf(el: Element): string | null {
  const explicit = el.getAttribute('role');
  if (explicit) return explicit.split(/\s+/)[0] ?? null;
  const tag = el.tagName.toLowerCase();
  if (tag === 'input') {
    const type = el.getAttribute('type') ?? 'text';
    if (type === 'search') return 'searchbox';
    if (type === 'radio') return 'radio';
    if (type === 'checkbox') return 'checkbox';
    if (['button', 'submit', 'reset'].includes(type)) return 'button';
    return 'textbox';
  }
  if (tag === 'section')
    return el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby') ? 'region' : null;
  return IMPLICIT[tag] ?? null;
}

const squash = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();

export function nameOf(el: Element): string {
  const labelledBy = el.getAttribute('aria-labelledby');
  if (labelledBy) {
    return squash(
      labelledBy
        .split(/\s+/)
        .map((id) => el.ownerDocument.getElementById(id)?.textContent ?? '')
        .join(' '),
    );
  }
  const label = el.getAttribute('aria-label');
  if (label) return squash(label);
  if (el.id) {
    const forLabel = el.ownerDocument.querySelector(`label[for="${el.id}"]`);
    if (forLabel) return squash(forLabel.textContent);
  }
  const wrapping = el.closest('label');
  if (wrapping) return squash(wrapping.textContent);
  const role = roleOf(el);
  if (role && ['dialog', 'alertdialog', 'region', 'list', 'textbox', 'searchbox'].includes(role)) {
    return '';
  }
  return squash(el.textContent);
}

function hidden(el: Element): boolean {
  for (let e: Element | null = el; e; e = e.parentElement) {
    if (e.hasAttribute('hidden') || e.getAttribute('aria-hidden') === 'true') return true;
    if (e.tagName === 'DIALOG' && !e.hasAttribute('open')) return true;
    // The content of a closed disclosure is not rendered (its summary is).
    if (
      e.tagName === 'DETAILS' &&
      !e.hasAttribute('open') &&
      e !== el &&
      !el.closest('summary')?.parentElement?.isSameNode(e)
    )
      return true;
  }
  return false;
}

export type NameMatcher = string | RegExp;

const matches = (name: string, m: NameMatcher | undefined): boolean =>
  m === undefined || (typeof m === 'string' ? name === m : m.test(name));

export function queryAllByRole(root: ParentNode, role: string, name?: NameMatcher): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('*')].filter(
    (el) => roleOf(el) === role && !hidden(el) && matches(nameOf(el), name),
  );
}

export function getByRole(root: ParentNode, role: string, name?: NameMatcher): HTMLElement {
  const found = queryAllByRole(root, role, name);
  if (found.length !== 1) {
    const all = queryAllByRole(root, role).map((el) => JSON.stringify(nameOf(el)));
    throw new Error(
      `Expected one ${role}${name === undefined ? '' : ` named ${String(name)}`}, found ${found.length}. ` +
        `${role}s present: ${all.join(', ') || 'none'}`,
    );
  }
  return found[0]!;
}

export function queryByRole(
  root: ParentNode,
  role: string,
  name?: NameMatcher,
): HTMLElement | null {
  const found = queryAllByRole(root, role, name);
  if (found.length > 1) throw new Error(`More than one ${role} named ${String(name)}`);
  return found[0] ?? null;
}

export const text = (el: Element): string => squash(el.textContent);

/** The window's account list, its rows, and the one row that shows `name`. */
export const accountList = (root: HTMLElement): HTMLElement => getByRole(root, 'list', 'Accounts');
export const accountItems = (root: HTMLElement): HTMLElement[] =>
  queryAllByRole(accountList(root), 'listitem');
export function accountItem(root: HTMLElement, name: string): HTMLElement {
  const found = accountItems(root).filter((li) => text(li).includes(name));
  if (found.length !== 1)
    throw new Error(`Expected one account row with ${name}, found ${found.length}.`);
  return found[0]!;
}
/** A row's main button: selecting it (click or focus) selects the account. */
export const rowMain = (li: HTMLElement): HTMLElement =>
  li.querySelector<HTMLElement>('.row-main')!;

/** Lets pending promises (bridge answers) run, then applies Svelte's updates. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    flushSync();
  }
}

export function click(el: HTMLElement): void {
  el.click();
  flushSync();
}

export function press(el: EventTarget, key: string, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  el.dispatchEvent(event);
  flushSync();
  return event;
}

/** Opens the menu of the button named `button` and chooses `item` in it. */
export function chooseMenuItem(root: HTMLElement, button: NameMatcher, item: NameMatcher): void {
  click(getByRole(root, 'button', button));
  click(getByRole(document.body, 'menuitem', item));
}

/** Opens a closed <details> disclosure (as a click on its summary does in a browser). */
export function openDisclosure(root: HTMLElement, summary: string): HTMLDetailsElement {
  const details = [...root.querySelectorAll('details')].find(
    (d) => squash(d.querySelector('summary')?.textContent) === summary,
  );
  if (!details) throw new Error(`No disclosure "${summary}"`);
  details.open = true;
  details.dispatchEvent(new Event('toggle'));
  flushSync();
  return details;
}

export function typeInto(el: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}

export interface Rendered {
  target: HTMLElement;
  app: AppState;
  destroy: () => void;
}

const mounted = new Set<Rendered>();

// Every window a test mounts is unmounted after it, so no test file needs its own cleanup.
afterEach(() => {
  for (const view of mounted) view.destroy();
});

/** Mounts the whole window against a fake bridge and waits for the first snapshot. */
export async function renderApp(
  fake: FakeBridge,
  options: AppStateOptions = { detailsDelayMs: 0 },
): Promise<Rendered> {
  const target = document.createElement('div');
  document.body.append(target);
  const app = new AppState(fake.bridge, options);
  const component = mount(App, { target, props: { app } });
  flushSync();
  await settle();
  const view: Rendered = {
    target,
    app,
    destroy: () => {
      if (!mounted.delete(view)) return;
      void unmount(component);
      target.remove();
    },
  };
  mounted.add(view);
  return view;
}
