// Starts the quick switcher view (index.html?view=palette). Bundled with the window rather than
// loaded on demand: a separate chunk plus Vite's preload helper came to 2 kB more gzipped in all.
import { mount, unmount } from 'svelte';
import type { PiecesBridge } from '../../../shared/contract';
import Palette from './Palette.svelte';
import { PaletteState } from './palette-state.svelte';

/** Mounts the palette into `target` (the bridge is checked by the caller); returns its unmount. */
export function bootPalette(target: HTMLElement, bridge: PiecesBridge): () => void {
  const palette = mount(Palette, { target, props: { palette: new PaletteState(bridge) } });
  return () => void unmount(palette);
}
