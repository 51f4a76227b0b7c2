// Starts the quick switcher view (index.html?view=palette): loaded on demand by main.ts, so the
// app window's page does not run it.
import { mount, unmount } from 'svelte';
import type { PiecesBridge } from '../../../shared/contract';
import Palette from './Palette.svelte';
import { PaletteState } from './palette-state.svelte';

/** Mounts the palette into `target` (the bridge is checked by the caller); returns its unmount. */
export function bootPalette(target: HTMLElement, bridge: PiecesBridge): () => void {
  const palette = mount(Palette, { target, props: { palette: new PaletteState(bridge) } });
  return () => void unmount(palette);
}
