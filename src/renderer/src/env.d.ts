/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { PiecesBridge } from '../../shared/contract';

declare global {
  interface Window {
    /** Set by the preload. Optional because a page opened any other way has no bridge. */
    pieces?: PiecesBridge;
  }
}

export {};
