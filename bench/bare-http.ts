// The baseline client: node:http with nothing on top. Same connection policy as the app's
// transport (a new connection per request, no keep-alive) so a ratio measures the app's code, not
// connection reuse.
import http from 'node:http';

export interface BareResponse {
  status: number;
  text: string;
}

export interface BareClient {
  request(method: 'GET' | 'POST', path: string, body?: string): Promise<BareResponse>;
}

export function bareClient(baseUrl: string): BareClient {
  const { hostname, port } = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: false });
  return {
    request(method, path, body) {
      return new Promise((resolve, reject) => {
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
        req.on('error', reject);
        req.end(body);
      });
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
