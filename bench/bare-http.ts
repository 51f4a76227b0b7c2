// The floor for a client call: node:http with a keep-alive agent (as the app's transport has), and
// JSON.parse of the body (as the app must do), nothing else.
import http from 'node:http';

export interface BareResponse {
  status: number;
  text: string;
}

export interface BareClient {
  request(
    method: 'GET' | 'POST',
    path: string,
    body?: string,
    retried?: boolean,
  ): Promise<BareResponse>;
  /** The same, then JSON.parse of the body; throws unless the answer is 2xx. */
  json(method: 'GET' | 'POST', path: string, body?: string): Promise<unknown>;
}

export function bareClient(baseUrl: string, { keepAlive = true } = {}): BareClient {
  const { hostname, port } = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive });
  const request: BareClient['request'] = (method, path, body, retried = false) =>
    new Promise((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = { accept: 'application/json, text/plain' };
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(body);
      }
      const req = http.request({ hostname, port, method, path, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive socket the emulator closed while this process was busy: once more, anew
        // (the floor must not fail where the app, which does the same for GETs, would not).
        if (!retried && req.reusedSocket && err.code === 'ECONNRESET') {
          resolve(request(method, path, body, true));
        } else reject(err);
      });
      req.end(body);
    });
  return {
    request,
    async json(method, path, body) {
      const res = await ok2xx(request(method, path, body), `${method} ${path}`);
      return JSON.parse(res.text) as unknown;
    },
  };
}

/** Throws unless the answer is 2xx: a baseline that silently failed would flatter the ratio. */
export async function ok2xx(p: Promise<BareResponse>, what: string): Promise<BareResponse> {
  const res = await p;
  if (res.status < 200 || res.status >= 300) {
    throw new Error(`${what} answered ${res.status}: ${res.text.slice(0, 200)}`);
  }
  return res;
}
