// The addresses a connection attempt tried, short enough for the window's banner: runs of
// consecutive ports on the same host become one range ("http://127.0.0.1:39300–39333"), so a
// 34-port probe reads as one item. Written in main, so the window only lists what it gets.

export function triedRanges(urls: readonly string[]): string[] {
  const parts: { base: string; from: number; to: number }[] = [];
  const plain: string[] = [];
  for (const url of urls) {
    const m = /^(https?:\/\/[^/]+):(\d+)\/?$/.exec(url);
    if (!m) {
      plain.push(url);
      continue;
    }
    const base = m[1]!;
    const port = Number(m[2]);
    const last = parts.at(-1);
    if (last && last.base === base && last.to + 1 === port) last.to = port;
    else parts.push({ base, from: port, to: port });
  }
  const ranges = parts.map((p) =>
    p.from === p.to ? `${p.base}:${p.from}` : `${p.base}:${p.from}–${p.to}`,
  );
  return [...ranges, ...plain];
}
