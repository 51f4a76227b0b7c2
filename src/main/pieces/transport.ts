// The one axios instance, and the mapping of everything that can go wrong below HTTP (refused,
// reset, timed out, cancelled) to a PiecesError. HTTP statuses are the caller's business.
import { Axios, type AxiosAdapter, type AxiosRequestConfig } from 'axios';
import { PiecesError } from './errors';
import {
  AdapterFailure,
  createLeanAdapter,
  receivedBody,
  type PeerCheck,
  type ReceivedBody,
} from './http-adapter';

export interface TransportRequest {
  baseUrl: string;
  method: 'GET' | 'POST';
  /** Starts with '/'. Shown in error messages, so it must never hold a secret. */
  path: string;
  /** Sent as JSON. Never appears in an error message. */
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** This request's deadline, instead of the transport's (a sign-in that waits for a person). */
  timeoutMs?: number | undefined;
  /**
   * The body this request answered last time: an identical answer comes back as this very
   * Buffer, compared as it arrives and never copied (see ./http-adapter.ts).
   */
  sameAs?: Buffer | undefined;
  /** Checked on the connection before anything is written on it (see ./http-adapter.ts). */
  peer?: PeerCheck | undefined;
}

export interface TransportResponse {
  status: number;
  /** The body as text (decoded from `bytes` on first use). */
  readonly text: string;
  /** The body as received, so a caller can tell an identical answer without decoding it. */
  readonly bytes: Buffer;
}

export interface Transport {
  send(req: TransportRequest): Promise<TransportResponse>;
  timeoutMs: number;
  /** Closes idle keep-alive connections. */
  close(): void;
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

/**
 * The emulator's user list is about 1.55 kB per user (Pieces OS's is similar): 256 MiB holds some
 * 170,000 users, above the 100,000 the app is built for, and still bounds memory. The body is
 * collected into one buffer of its declared length, so this is also about the peak it can take.
 */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;

const JSON_HEADERS = { accept: 'application/json, text/plain', 'content-type': 'application/json' };
const GET_HEADERS = { accept: 'application/json, text/plain' };

/** The transport's axios defaults, in full. */
const leanDefaults = (adapter: AxiosAdapter): AxiosRequestConfig => ({
  // Keep-alive node:http, a whole-exchange deadline, a body cap, no proxy, no redirects: see
  // ./http-adapter.ts. The same in tests and in Electron's main process.
  adapter,
  // Bodies stay bytes (the client parses them itself, so HTML and empty bodies can be told
  // apart from bad JSON); the body sent is already a JSON string. No transforms at all.
  transformRequest: [],
  transformResponse: [],
  // Every status is an answer: the client says what each means.
  validateStatus: () => true,
  // No default headers: each request names its own.
  headers: {},
});

export function createTransport(
  timeoutMs: number,
  { maxBodyBytes = MAX_BODY_BYTES }: { maxBodyBytes?: number } = {},
): Transport {
  const lean = createLeanAdapter({ maxBodyBytes });
  // An axios client (the design's HTTP client) with only what this transport uses as its
  // defaults, not axios's own: axios merges its defaults into every request's config, deep-copying
  // each (a dozen header buckets, env, transitional options, which it also validates) on every
  // call, for features the lean adapter does not have. `new Axios(config)` takes them as given.
  const instance = new Axios(leanDefaults(lean.adapter));

  const transport: Transport = {
    timeoutMs,
    async send(req) {
      const where = `${req.method} ${req.path}`;
      if (req.signal?.aborted) throw cancelled(where);
      const deadlineMs = req.timeoutMs ?? transport.timeoutMs;
      // Only the keys this request has: axios visits every key of the config, undefined or not.
      const config: AxiosRequestConfig = {
        method: req.method,
        baseURL: req.baseUrl,
        url: req.path,
        headers: req.body === undefined ? GET_HEADERS : JSON_HEADERS,
        // The deadline for the whole exchange, not a socket-idle timeout (see the adapter).
        timeout: deadlineMs,
      };
      if (req.body !== undefined) config.data = JSON.stringify(req.body);
      if (req.signal) config.signal = req.signal;
      if (req.sameAs) config.sameAs = req.sameAs;
      if (req.peer) config.peer = req.peer;
      try {
        const res = await instance.request<ReceivedBody>(config);
        const body = res.data instanceof Object ? res.data : receivedBody(Buffer.alloc(0));
        // Getters, not copies: the text is decoded only if the caller reads it.
        return {
          status: res.status,
          get bytes() {
            return body.bytes;
          },
          get text() {
            return body.text;
          },
        };
      } catch (err) {
        if (req.signal?.aborted) throw cancelled(where);
        throw transportError(err, req, deadlineMs, maxBodyBytes);
      }
    },
    close: () => lean.destroy(),
  };
  return transport;
}

/** The error to throw for a failed request: a PiecesError, or `err` itself when it is a bug. */
function transportError(
  err: unknown,
  req: TransportRequest,
  timeoutMs: number,
  maxBodyBytes: number,
): unknown {
  const where = `${req.method} ${req.path}`;
  // Not a network failure but a bug (a TypeError, say): let it surface as one.
  if (!(err instanceof AdapterFailure)) return err;
  switch (err.reason) {
    case 'cancelled':
      return cancelled(where);
    case 'timeout':
      return new PiecesError(
        'timeout',
        `Pieces OS at ${req.baseUrl} did not answer within ${formatMs(timeoutMs)} (${where}).`,
      );
    case 'too-large':
      return new PiecesError(
        'bad-response',
        `Pieces OS sent a body larger than ${formatBytes(maxBodyBytes)} (${where}).`,
      );
    case 'refused':
      // The check's own words: they name the address and why (see ./trust.ts).
      return new PiecesError('untrusted', err.message);
    case 'network':
      break;
  }
  // Everything else at this level means we could not hold a conversation with the server:
  // refused, reset, hung up mid-answer, or a protocol mismatch such as https against an http port.
  const base = `Pieces OS is not reachable at ${req.baseUrl}.`;
  if (/hang up|aborted/i.test(err.message)) {
    return new PiecesError('unreachable', `${base} It closed the connection without answering.`);
  }
  const code = err.code;
  const detail = code && !UNREACHABLE_CODES.has(code) ? ` (${code})` : '';
  return new PiecesError('unreachable', base + detail);
}

function cancelled(where: string): PiecesError {
  return new PiecesError('cancelled', `The request was cancelled (${where}).`);
}

const formatMs = (ms: number) => (ms < 1000 ? `${ms} ms` : `${+(ms / 1000).toFixed(1)} s`);

const formatBytes = (n: number) =>
  n >= 1 << 20 ? `${+(n / (1 << 20)).toFixed(1)} MB` : `${+(n / 1024).toFixed(1)} kB`;
