// Where the time of one sample goes: when each HTTP request of the sample was handed to its
// socket and when its answer's headers came back, and any marks the figure adds (its reply, the
// end), in milliseconds from the sample's start. Read from node:http's diagnostics channels, so
// the app's requests and the floor's are seen the same way, without touching either. Reported as
// the median of each mark over the samples, as a figure's note.
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { median } from './stats';

export interface Timeline {
  /** Starts a sample of `variant` (its marks are kept from now on). */
  start(variant: string): void;
  mark(what: string): void;
  /** Ends the sample: its marks count towards the medians. */
  end(): void;
  /** Stops listening to node:http. */
  close(): void;
  /** "variant: mark 0.12, mark 0.50, …" per variant, marks in the order of their medians. */
  describe(): string;
}

export function timeline(): Timeline {
  let variant: string | undefined;
  let t0 = 0;
  let marks: [string, number][] = [];
  const samples = new Map<string, [string, number][][]>();
  const mark = (what: string) => {
    if (variant !== undefined) marks.push([what, performance.now() - t0]);
  };
  const what = (req: ClientRequest) => `${req.method} ${req.path.split('?')[0]}`;
  // Published by node:http once the request is written out (its end), then on the answer's headers.
  const sent = (m: unknown) => mark(`${what((m as { request: ClientRequest }).request)} sent`);
  const answered = (m: unknown) =>
    mark(`${what((m as { request: ClientRequest }).request)} answered`);
  diagnostics.subscribe('http.client.request.start', sent);
  diagnostics.subscribe('http.client.response.finish', answered);
  return {
    start(name) {
      variant = name;
      marks = [];
      t0 = performance.now();
    },
    mark,
    end() {
      if (variant === undefined) return;
      const runs = samples.get(variant) ?? [];
      runs.push(marks);
      samples.set(variant, runs);
      variant = undefined;
    },
    close() {
      diagnostics.unsubscribe('http.client.request.start', sent);
      diagnostics.unsubscribe('http.client.response.finish', answered);
    },
    describe() {
      const parts: string[] = [];
      for (const [name, runs] of samples) {
        const at = new Map<string, number[]>();
        for (const run of runs) for (const [w, t] of run) at.set(w, [...(at.get(w) ?? []), t]);
        const rows = [...at].map(([w, ts]) => [w, median(ts)] as const).sort((a, b) => a[1] - b[1]);
        parts.push(`${name}: ${rows.map(([w, t]) => `${w} ${t.toFixed(2)}`).join(', ')}`);
      }
      return parts.join('; ');
    },
  };
}
