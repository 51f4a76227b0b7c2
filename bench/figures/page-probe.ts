// In-page instrumentation for figure 4, injected before any page script (Playwright init script,
// which CSP does not block). Plain JavaScript in a string: it runs in Chromium, not in Node.
//
// - Snapshot arrival: every 'state' listener on an EventSource (the preview bridge's, through which
//   the page receives snapshots) is wrapped. t0 is taken as the event is dispatched, before the
//   bridge's JSON.parse of the payload. The snapshot's revision is read from the head of the text
//   (main writes it first), so the bench can wait for one particular snapshot: with live updates
//   the app may push more than one per change, and not always when the bench asks.
// - Keystroke: a capturing keydown listener on window, the first script to see the key.
// - Painted: requestAnimationFrame, then a MessageChannel task queued from inside it. The rAF
//   callback runs before that frame's style, layout and paint; the queued task runs after the frame
//   has been produced. So `paintedMs` is event -> frame painted, `toFrameMs` event -> frame start.
// - `scriptMs`: event -> end of the microtasks queued by the app's handlers (Svelte flushes its DOM
//   updates in a microtask): the synchronous script cost as the page sees it (a cross-check of the
//   CDP ScriptDuration figure, which also counts script the probe cannot see).
export const PAGE_PROBE = `(() => {
  const bench = { snapshots: [], keys: [], waiters: [] };
  const record = (list, rec) => {
    list.push(rec);
    bench.waiters = bench.waiters.filter((w) => !w());
  };
  /** Records { scriptMs, toFrameMs, paintedMs } for the event that started at rec.t0. */
  const afterPaint = (rec, list) => {
    requestAnimationFrame(() => {
      const frame = performance.now();
      const ch = new MessageChannel();
      ch.port1.onmessage = () => record(list, {
        ...rec, toFrameMs: frame - rec.t0, paintedMs: performance.now() - rec.t0,
      });
      ch.port2.postMessage(null);
    });
  };
  /** Microtasks run in order: this one runs after those queued before it (Svelte's flush). */
  const endOfScript = (rec) => queueMicrotask(() => { rec.scriptMs = performance.now() - rec.t0; });
  const original = EventSource.prototype.addEventListener;
  EventSource.prototype.addEventListener = function (type, listener, options) {
    if (type !== 'state' || typeof listener !== 'function') {
      return original.call(this, type, listener, options);
    }
    return original.call(this, type, function (event) {
      const head = /^\\{"revision":(\\d+)/.exec(event.data.slice(0, 40));
      const rec = {
        t0: performance.now(), scriptMs: NaN, bytes: event.data.length,
        revision: head ? Number(head[1]) : NaN,
      };
      try {
        return listener.call(this, event);
      } finally {
        endOfScript(rec);
        afterPaint(rec, bench.snapshots);
      }
    }, options);
  };
  // A key: t0 at keydown (capture, first listener); its script ends after the 'input' handlers
  // (Svelte delegates 'input' to its root, below window) and the microtasks they queued.
  let key = null;
  addEventListener('keydown', () => {
    key = { t0: performance.now(), scriptMs: NaN };
    afterPaint(key, bench.keys);
  }, true);
  addEventListener('input', () => { if (key) endOfScript(key); });
  /** Resolves with record number n (0-based) of 'snapshots' or 'keys' once it exists. */
  bench.wait = (kind, n) => new Promise((resolve) => {
    const check = () => {
      if (bench[kind].length <= n) return false;
      resolve(bench[kind][n]);
      return true;
    };
    if (!check()) bench.waiters.push(check);
  });
  /** Resolves with the record of the first snapshot of revision \`revision\` or newer, once painted. */
  bench.waitRevision = (revision) => new Promise((resolve) => {
    const check = () => {
      const rec = bench.snapshots.find((r) => r.revision >= revision);
      if (rec) resolve(rec);
      return !!rec;
    };
    if (!check()) bench.waiters.push(check);
  });
  window.__bench = bench;
})();`;

export interface ProbeRecord {
  scriptMs: number;
  toFrameMs: number;
  paintedMs: number;
  bytes?: number;
  /** A snapshot's revision (NaN if it could not be read). */
  revision?: number;
}
