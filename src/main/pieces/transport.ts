// The one axios instance, and the mapping of everything that can go wrong below HTTP (refused,
// reset, timed out, cancelled) to a PiecesError. HTTP statuses are the caller's business.
import http from 'node:http';
import axios, { type AxiosInstance } from 'axios';
import { PiecesError } from './errors';

export interface TransportRequest {
  baseUrl: string;
  method: 'GET' | 'POST';
  /** Starts with '/'. Shown in error messages, so it must never hold a secret. */
  path: string;
  /** Sent as JSON. Never appears in an error message. */
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** This request's deadline instead of `Transport.timeoutMs` (a sign-in waiting for a person). */
  timeoutMs?: number | undefined;
}

export interface TransportResponse {
  status: number;
  text: string;
}

export interface Transport {
  send(req: TransportRequest): Promise<TransportResponse>;
  timeoutMs: number;
}

/** Connection-level failures meaning "nothing (or something that hung up) is listening there". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
  'ECONNABORTED',
]);

/** A user list is a few KB per user; this is far above any real answer and keeps memory bounded. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export function createTransport(timeoutMs: number): Transport {
  const instance: AxiosInstance = axios.create({
    // Electron's main process may pick the fetch/XHR adapter; the Node adapter behaves the same
    // in tests and in the app, and reports Node's error codes.
    adapter: 'http',
    // Parse JSON ourselves, so HTML and empty bodies can be told apart from bad JSON.
    responseType: 'text',
    responseEncoding: 'utf8',
    transformResponse: [(data: unknown) => data],
    transitional: { forcedJSONParsing: false, silentJSONParsing: true },
    validateStatus: () => true,
    // Loopback only: an HTTP(S)_PROXY in the environment must not route these requests, and a
    // redirect must not take them anywhere else.
    proxy: false,
    maxRedirects: 0,
    maxContentLength: MAX_BODY_BYTES,
    // No keep-alive: requests are occasional, and reusing a socket the server has just closed
    // would surface as a spurious "unreachable".
    httpAgent: new http.Agent({ keepAlive: false }),
    // The deadline is ours (below): axios's own timeout is a socket-idle timeout, which a server
    // trickling bytes would never trip.
    timeout: 0,
  });

  const transport: Transport = {
    timeoutMs,
    async send(req) {
      const where = `${req.method} ${req.path}`;
      if (req.signal?.aborted) throw cancelled(where);

      const controller = new AbortController();
      const deadlineMs = req.timeoutMs ?? transport.timeoutMs;
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, deadlineMs);
      const onCallerAbort = () => controller.abort();
      req.signal?.addEventListener('abort', onCallerAbort, { once: true });

      try {
        const res = await instance.request<string>({
          method: req.method,
          url: req.baseUrl + req.path,
          headers:
            req.body === undefined
              ? { accept: 'application/json, text/plain' }
              : { accept: 'application/json, text/plain', 'content-type': 'application/json' },
          data: req.body === undefined ? undefined : JSON.stringify(req.body),
          signal: controller.signal,
        });
        return { status: res.status, text: typeof res.data === 'string' ? res.data : '' };
      } catch (err) {
        if (req.signal?.aborted) throw cancelled(where);
        if (timedOut) {
          throw new PiecesError(
            'timeout',
            `Pieces OS at ${req.baseUrl} did not answer within ${formatMs(deadlineMs)} (${where}).`,
          );
        }
        throw transportError(err, req);
      } finally {
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onCallerAbort);
      }
    },
  };
  return transport;
}

/** The error to throw for a failed request: a PiecesError, or `err` itself when it is not axios's. */
function transportError(err: unknown, req: TransportRequest): unknown {
  // Not a network failure but a bug (a TypeError, say): let it surface as one.
  if (!axios.isAxiosError(err)) return err;
  const code = errorCode(err);
  const message = err.message;
  if (code === 'ERR_BAD_RESPONSE' && message.includes('maxContentLength')) {
    return new PiecesError(
      'bad-response',
      `Pieces OS sent a body larger than ${MAX_BODY_BYTES >> 20} MB (${req.method} ${req.path}).`,
    );
  }
  // Everything else at this level means we could not hold a conversation with the server:
  // refused, reset, hung up mid-answer, or a protocol mismatch such as https against an http port.
  const base = `Pieces OS is not reachable at ${req.baseUrl}.`;
  if (/hang up|aborted/i.test(message)) {
    return new PiecesError('unreachable', `${base} It closed the connection without answering.`);
  }
  const detail = code && !UNREACHABLE_CODES.has(code) ? ` (${code})` : '';
  return new PiecesError('unreachable', base + detail);
}

/** Node puts the code on the error, on its cause, or (for dual-stack connects) on each of `errors`. */
function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; cause?: { code?: unknown }; errors?: { code?: unknown }[] };
  for (const c of [e.code, e.cause?.code, e.errors?.[0]?.code]) {
    if (typeof c === 'string' && c) return c;
  }
  return undefined;
}

function cancelled(where: string): PiecesError {
  return new PiecesError('cancelled', `The request was cancelled (${where}).`);
}

const formatMs = (ms: number) => (ms < 1000 ? `${ms} ms` : `${+(ms / 1000).toFixed(1)} s`);
