// A reactive "now" that ticks only while something on screen reads it (the offline countdown).
import { createSubscriber } from 'svelte/reactivity';

export class Clock {
  readonly #subscribe: () => void;

  constructor(intervalMs = 1000) {
    this.#subscribe = createSubscriber((update) => {
      const timer = setInterval(update, intervalMs);
      return () => clearInterval(timer);
    });
  }

  /** Epoch milliseconds; re-read every interval inside effects and templates. */
  get now(): number {
    this.#subscribe();
    return Date.now();
  }
}
