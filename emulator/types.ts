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
  /** Parts of the API to offer (all on by default); off answers 404, as an older Pieces OS does. */
  features?: Partial<Features>;
  /** Send `ok` on every health stream this often (ms); 0 (default) sends it only on connect. */
  healthIntervalMs?: number;
  /**
   * 'uuid' (default), 'opaque' (user ids like `u_<24 hex>`) or 'awkward' (ids with a slash, spaces,
   * unicode, `../`, `__proto__`: see ids.ts); the spec allows any string.
   */
  idStyle?: IdStyle;
  /** Spec-valid oddities and malformed optional fields to send (see `setOddities`). */
  oddities?: Oddities;
  /** Stream faults at start (see `setStreamFaults`). */
  streamFaults?: StreamFaults;
}

export type IdStyle = 'uuid' | 'opaque' | 'awkward';

export const FEATURE_NAMES = [
  'osSignIn',
  'osSignOut',
  'accessToken',
  'userStream',
  'healthStream',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export type Features = Record<FeatureName, boolean>;

export const MALFORMED_FIELDS = ['auth0', 'providerDate', 'allocationUrlId'] as const;
export type MalformedField = (typeof MALFORMED_FIELDS)[number];

/** What the profiles in HTTP answers and user stream messages carry on top of the normal data. */
export interface Oddities {
  /** `Users` lists (GET /users, disconnect, sign_out) repeat the first user, renamed, at the end. */
  duplicateIds?: boolean;
  /** Optional fields the app never reads, malformed in every profile sent. */
  malformed?: MalformedField[];
}

export interface StreamFault {
  /** Send nothing on connect (the health stream never says ok; the user stream stays quiet). */
  silent?: boolean;
  /** Close each new socket right after the upgrade (after its first message, unless silent). */
  dropAfterOpen?: boolean;
}

export interface StreamFaults {
  user?: StreamFault;
  health?: StreamFault;
}

export type StreamName = keyof StreamFaults;

/** Who the "person" signs in as in the browser: a known user (by id or email) or a new one. */
export interface SignInIdentity {
  id?: string;
  email?: string;
  /** Names a brand-new user only, as with minted tokens. */
  name?: string;
  /** Lifetime of the JWT minted for this sign-in, seconds; default 3600. */
  expires_in?: number;
}

export const ENDPOINT_NAMES = [
  'listUsers',
  'getUser',
  'signIn',
  'disconnect',
  'currentUser',
  'health',
  'version',
  'osSignIn',
  'osSignOut',
  'accessToken',
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
  /** Never answer: the request stays open until the client leaves or the emulator stops. */
  hang?: boolean;
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
  /** The page Pieces OS would open in the browser for `POST /os/sign_in`:
   *  `{url}/__emulator/sign_in`. The emulator opens no browser itself. */
  readonly signInPageUrl: string;
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
  /** Turns parts of the API on or off (others keep their setting). A stream turned off closes
   *  its open sockets. */
  setFeatures(features: Partial<Features>): void;
  features(): Features;
  /** Replaces the oddities (see `Oddities`); `{}` turns them off. */
  setOddities(oddities: Oddities): void;
  oddities(): Oddities;
  /** Replaces the stream faults; `{}` turns them off. Applies to sockets opened afterwards. */
  setStreamFaults(faults: StreamFaults): void;
  streamFaults(): StreamFaults;
  /** Sends `message` (raw text) `times` times (default 1) to every open socket of `stream`;
   *  returns how many sockets got it. For malformed messages and bursts. */
  sendToStream(stream: StreamName, message: string, times?: number): number;
  /** Closes every open socket of `stream` (both when omitted), as a crashing Pieces OS would. */
  dropStreams(stream?: StreamName): void;
  /** Open sockets of a stream. */
  streamClients(stream: StreamName): number;
  /** `POST /os/sign_in` requests waiting for the person. */
  pendingSignIns(): number;
  /** Resolves once at least one `POST /os/sign_in` is waiting (at once if one already is). */
  whenSignInPending(): Promise<void>;
  /** The person finished: every waiting `POST /os/sign_in` answers 200 with this user, who is now
   *  current. Throws when none is waiting or the identity is not acceptable. */
  completeSignIn(identity: SignInIdentity): unknown;
  /** The person gave up: every waiting `POST /os/sign_in` answers 500 text. Returns how many. */
  cancelSignIn(): number;
  /** Stops listening and closes open connections; state and port are kept for `start()`. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  /** Stops for good. */
  close(): Promise<void>;
}
