// One quick `GET /.well-known/health`, used to find Pieces OS before the client exists.
import http from 'node:http';

/** Only the start of the body matters ("ok..."), so stop reading after this many characters. */
const ENOUGH = 64;

/**
 * Resolves true when `baseUrl` answers 200 with text starting "ok" (any case) within `timeoutMs`.
 * Never rejects: a probe that fails for any reason is simply "not here".
 */
export function probeHealth(
  baseUrl: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    let settled = false;
    // `agent: false`: a fresh socket per probe, closed after, so probing 34 ports leaves no pool.
    const req = http.get(`${baseUrl}/.well-known/health`, {
      agent: false,
      headers: { accept: 'text/plain' },
    });
    const finish = (healthy: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(healthy);
    };
    const onAbort = () => finish(false);
    const timer = setTimeout(onAbort, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    req.on('error', onAbort);
    req.on('response', (res) => {
      if (res.statusCode !== 200) return finish(false);
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (body.length >= ENOUGH) finish(isOk(body));
      });
      res.on('end', () => finish(isOk(body)));
      res.on('error', onAbort);
    });
  });
}

export const isOk = (text: string): boolean => /^\s*ok/i.test(text);
