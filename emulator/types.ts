// The emulator's public library API. server.ts re-exports all of it; other code imports from there.

export interface EmulatorOptions {
  /** Default 0: an ephemeral port, read it back from `Emulator.port`. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** How many users to seed. Default 3. */
  users?: number;
  /** Seed for the generated users and for fault `rate` rolls. Default 1. */
  seed?: number;
  /** What `GET /.well-known/version` answers. Default '12.0.0'. */
  version?: string;
  /**
   * Also accept tokens from this OpenID provider: `from_token` with a token the emulator did not
   * mint signs in the user its `id_token` names, once the id token verifies against the
   * provider's published keys (issuer, audience when given, expiry).
   */
  oidc?: { issuer: string; audience?: string };
}

export const ENDPOINT_NAMES = [
  'listUsers',
  'getUser',
  'signIn',
  'disconnect',
  'currentUser',
  'health',
  'version',
] as const;

export type EndpointName = (typeof ENDPOINT_NAMES)[number];

export interface Fault {
  /** Delay before answering. */
  latencyMs?: number;
  /** Answer this status with a text/plain body (`body`, or a default text). */
  status?: number;
  /** Text for `status`. */
  body?: string;
  /** 0..1 probability that the fault applies (default 1), rolled with a seeded PRNG. */
  rate?: number;
  /** Apply only this many times, then the fault removes itself. */
  times?: number;
  /** 200 with an application/json body that is not valid JSON. */
  malformedJson?: boolean;
  /** 200 with the normal JSON but this top-level key removed from the profile(s). */
  missingField?: string;
  /** 200 with a text/html body. */
  html?: boolean;
  /** Destroy the socket without answering (connection reset). */
  drop?: boolean;
  /** Send the normal body one small chunk every trickleMs ms. */
  trickleMs?: number;
  /** Add unknown keys and unknown enum values to the profiles. */
  extraFields?: boolean;
}

export type FaultConfig = Partial<Record<EndpointName | '*', Fault>>;

export interface OAuthTokenWire {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope?: string;
  refresh_token?: string;
  id_token?: string;
}

export interface MintTokenInput {
  email: string;
  name?: string;
  /** Seconds, default 3600. 0 mints a token that is already expired. */
  expires_in?: number;
}

export interface Emulator {
  /** e.g. 'http://127.0.0.1:39300' */
  readonly url: string;
  readonly port: number;
  /** Replaces the whole fault config. Throws (naming the bad key) for an invalid config. */
  setFaults(faults: FaultConfig): void;
  clearFaults(): void;
  /** Restores the seeded users, the initial current user, no faults and zero request counts.
   *  Minted tokens stay valid. */
  reset(): void;
  mintToken(input: MintTokenInput): OAuthTokenWire;
  /** The current users in wire format (deep copies). */
  users(): unknown[];
  currentUserId(): string | null;
  /** Requests routed to `endpoint` (all endpoints when omitted) since creation or the last reset. */
  requestCount(endpoint?: EndpointName): number;
  /** Stops listening and closes open connections; state and port are kept for `start()`. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  /** Stops for good. */
  close(): Promise<void>;
}
