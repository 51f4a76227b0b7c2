// Starts the UI, or says plainly why it cannot start.
import { mount, unmount } from 'svelte';
import type { PiecesBridge } from '../../shared/contract';
import App from './App.svelte';
import { AppState } from './lib/app-state.svelte';

export const NO_BRIDGE_MESSAGE = 'This page must be opened from the Pieces Account Switcher app.';

/** Mounts the app into `target`; returns a function that unmounts it. */
export function boot(target: HTMLElement, bridge: PiecesBridge | undefined): () => void {
  if (!bridge) {
    const message = document.createElement('p');
    message.className = 'no-bridge';
    message.textContent = NO_BRIDGE_MESSAGE;
    target.replaceChildren(message);
    return () => message.remove();
  }
  const app = mount(App, { target, props: { app: new AppState(bridge) } });
  return () => void unmount(app);
}
