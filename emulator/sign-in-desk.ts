// The `POST /os/sign_in` requests waiting for the "person" to finish signing in in the browser.
// Pieces OS runs one browser sign-in at a time, so a finish answers every waiting request alike.

/** How a wait ended: the signed-in profile JSON, the person gave up, or the client left. */
export type SignInResult = { profile: string } | 'cancelled' | 'gone';

export class SignInDesk {
  private readonly waiting = new Set<(result: SignInResult) => void>();
  private arrivals: (() => void)[] = [];

  /** Waits for finish()/cancel(); ends with 'gone' as soon as `signal` aborts (client left). */
  wait(signal: AbortSignal): Promise<SignInResult> {
    if (signal.aborted) return Promise.resolve('gone');
    return new Promise((resolve) => {
      const settle = (result: SignInResult): void => {
        this.waiting.delete(settle);
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const onAbort = (): void => settle('gone');
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.add(settle);
      for (const arrived of this.arrivals.splice(0)) arrived();
    });
  }

  count(): number {
    return this.waiting.size;
  }

  /** A readiness signal for tests: resolves once a request is waiting. */
  whenPending(): Promise<void> {
    if (this.waiting.size > 0) return Promise.resolve();
    return new Promise((resolve) => this.arrivals.push(resolve));
  }

  /** Answers every waiting request; returns how many there were. */
  settleAll(result: SignInResult): number {
    const all = [...this.waiting];
    for (const settle of all) settle(result);
    return all.length;
  }
}
