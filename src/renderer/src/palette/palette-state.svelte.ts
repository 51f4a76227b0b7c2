// The quick switcher's state: the snapshot main pushes, the query, the selection and the one
// action running. Decisions (order, filter, moves, what Enter does) are in lib/palette.ts.
import type { PiecesBridge } from '../../../shared/contract';
import type { AppError, StateSnapshot, Theme } from '../../../shared/domain';
import { applyUpdate, type StateUpdate } from '../../../shared/state-patch';
import { searchKey } from '../lib/filter';
import {
  initialSelection,
  moveSelection,
  paletteAction,
  paletteList,
  type PaletteKey,
} from '../lib/palette';
import { call } from '../lib/call';

export class PaletteState {
  // Read-only outside: private fields behind getters (a public $state field compiles a setter).
  /** The last snapshot from main, its accounts in display order; null until the first arrives. */
  #snapshot = $state.raw<StateSnapshot | null>(null);
  get snapshot(): StateSnapshot | null {
    return this.#snapshot;
  }
  /** The first getState failed, so there is nothing to list. */
  #loadError = $state.raw<AppError | null>(null);
  get loadError(): AppError | null {
    return this.#loadError;
  }
  #theme = $state<Theme>('system');
  get theme(): Theme {
    return this.#theme;
  }
  #query = $state('');
  get query(): string {
    return this.#query;
  }
  /** The account the person moved to; null: the initial selection (see initialSelection). */
  #chosenId = $state<string | null>(null);
  /** The account a switch started here is running for. */
  #switchingId = $state<string | null>(null);
  get switchingId(): string | null {
    return this.#switchingId;
  }
  /** Why the last switch from here failed; shown until the next keystroke or switch. */
  #error = $state.raw<{ name: string; error: AppError } | null>(null);
  get error(): { name: string; error: AppError } | null {
    return this.#error;
  }

  readonly #activeId: string | null = $derived(this.snapshot?.activeId ?? null);
  get activeId(): string | null {
    return this.#activeId;
  }
  readonly #ordered = $derived(this.snapshot?.accounts ?? []);
  readonly #keys = $derived(this.#ordered.map(searchKey));
  readonly #list = $derived(paletteList(this.#ordered, this.query, this.#keys));
  get list() {
    return this.#list;
  }
  readonly #selectedIndex: number = $derived.by(() => {
    const chosen = this.list.shown.findIndex((a) => a.id === this.#chosenId);
    return chosen >= 0 ? chosen : initialSelection(this.list.shown, this.activeId);
  });
  get selectedIndex(): number {
    return this.#selectedIndex;
  }
  readonly #online: boolean = $derived(this.snapshot?.connection.status === 'online');
  get online(): boolean {
    return this.#online;
  }

  readonly #bridge: PiecesBridge;
  #unsubscribe: (() => void) | null = null;

  constructor(bridge: PiecesBridge) {
    this.#bridge = bridge;
  }

  /** Subscribes to pushed snapshots, then reads the state and the theme. */
  async start(): Promise<void> {
    this.#unsubscribe ??= this.#bridge.onState((u) => this.#update(u));
    const [state] = await Promise.all([call(() => this.#bridge.getState()), this.readTheme()]);
    if (state.ok) {
      this.#loadError = null;
      this.#update(state.value);
    } else if (!this.snapshot) {
      this.#loadError = state.error;
    }
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  /** The theme can change in Settings while the palette is hidden: read it on every opening. */
  async readTheme(): Promise<void> {
    const settings = await call(() => this.#bridge.getSettings());
    if (settings.ok) this.#theme = settings.value.theme;
  }

  setQuery(query: string): void {
    this.#query = query;
    this.#chosenId = null;
    this.#error = null;
  }

  select(index: number): void {
    const account = this.list.shown[index];
    if (account) this.#chosenId = account.id;
  }

  /** Up, Down, PageUp, PageDown move the selection; Enter and Escape act. */
  async key(key: PaletteKey): Promise<void> {
    if (key === 'escape') return this.close();
    if (key === 'enter') return this.choose(this.selectedIndex);
    this.select(moveSelection(this.selectedIndex, this.list.shown.length, key));
  }

  /**
   * Enter (or a click) on a row: switch and close once switched; for an account without a saved
   * sign-in, start "Sign in as" (Pieces OS opens the browser; the window follows it) and close.
   */
  async choose(index: number): Promise<void> {
    const account = this.list.shown[index];
    if (!account || this.switchingId !== null) return;
    const action = paletteAction(account, this.activeId);
    if (action.kind === 'close') return this.close();
    if (action.kind === 'sign-in') {
      // Answers only when the person is done in the browser; the app window and tray show it.
      void call(() => this.#bridge.signInWithPieces({ accountId: account.id }));
      return this.close();
    }
    this.#switchingId = account.id;
    this.#error = null;
    const result = await call(() => this.#bridge.switchTo({ id: account.id }));
    this.#switchingId = null;
    if (result.ok) {
      this.#update(result.value);
      await this.close();
    } else {
      this.#error = { name: account.displayName, error: result.error };
    }
  }

  /** Asks main to hide the window, and starts afresh for the next opening. */
  async close(): Promise<void> {
    this.reset();
    await call(() => this.#bridge.closePalette());
  }

  /** An empty search, the initial selection, no error: how the palette opens. */
  reset(): void {
    this.setQuery('');
  }

  /**
   * A snapshot or patch from main, pushed or an action's answer (the two roads need not arrive in
   * order: the newest stays).
   */
  #update(update: StateUpdate): void {
    const next = applyUpdate(this.snapshot, update);
    if (next === 'resync') {
      // A push went missing (hidden windows still receive them, but be safe): read the whole state.
      void call(() => this.#bridge.getState()).then((s) => s.ok && this.#update(s.value));
    } else if (next !== 'same') {
      this.#snapshot = next;
    }
  }
}
