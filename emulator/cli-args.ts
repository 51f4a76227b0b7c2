// Parses the emulator CLI's flags. Separate from cli.ts so it can be tested without a process.

import { BlockList, isIP } from 'node:net';
import { parseArgs } from 'node:util';
import {
  MALFORMED_FIELDS,
  type EmulatorOptions,
  type FeatureName,
  type MalformedField,
} from './types';

export const USAGE = `Usage: npm run emulator -- [--port N] [--host ADDR] [--users K] [--seed S] [--allow-remote]
                            [--oidc-issuer URL [--oidc-audience CLIENT_ID]]
                            [--older-pieces-os | --no-streams | --no-user-stream | --no-health-stream
                             | --no-os-sign-in | --no-os-sign-out | --no-access-token ...]
                            [--health-interval-ms N] [--id-style uuid|opaque]
                            [--duplicate-ids] [--malformed FIELD,...]

  --port N          port to listen on, 0 for any free port (default 39300, the first port
                    Pieces OS 11+ uses, so the app finds the emulator by itself)
  --host ADDR       address to bind (default 127.0.0.1); a non-loopback address needs --allow-remote
  --users K         how many users to seed (default 3)
  --seed S          seed for the generated users and fault rolls (default 1)
  --allow-remote    allow binding a non-loopback address (anyone who can reach it can mint tokens)
  --oidc-issuer URL also accept tokens from this OpenID provider (https://, or http:// on
                    loopback): their id token must verify against the provider's published keys
  --oidc-audience ID  the id token's expected audience (the app's client id); any when omitted
  --no-user-stream  no ws://.../user/stream (the upgrade answers 404)
  --no-health-stream  no ws://.../.well-known/stream/health (404)
  --no-streams      both of the above
  --no-os-sign-in   no POST /os/sign_in (404)
  --no-os-sign-out  no POST /os/sign_out (404)
  --no-access-token no GET /user/access_token (404)
  --older-pieces-os all of the above: only the Users API, as an older Pieces OS
  --health-interval-ms N  also send "ok" on the health stream every N ms (default: on connect only)
  --id-style S      uuid (default) or opaque: user ids like u_<24 hex>, not UUIDs (the spec allows it)
  --duplicate-ids   GET /users repeats the first user at the end (same id)
  --malformed LIST  malformed optional fields in every profile, comma-separated from:
                    ${MALFORMED_FIELDS.join(', ')}
  --help            show this help`;

/** Each --no-... flag and the parts of the API it switches off. */
const SWITCHES: Record<string, FeatureName[]> = {
  'no-user-stream': ['userStream'],
  'no-health-stream': ['healthStream'],
  'no-streams': ['userStream', 'healthStream'],
  'no-os-sign-in': ['osSignIn'],
  'no-os-sign-out': ['osSignOut'],
  'no-access-token': ['accessToken'],
  'older-pieces-os': ['userStream', 'healthStream', 'osSignIn', 'osSignOut', 'accessToken'],
};

type Extras = Pick<
  EmulatorOptions,
  'oidc' | 'features' | 'healthIntervalMs' | 'idStyle' | 'oddities'
>;

export type CliParse =
  | {
      kind: 'run';
      options: Required<Pick<EmulatorOptions, 'port' | 'host' | 'users' | 'seed'>> & Extras;
    }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

export function parseCliArgs(argv: string[]): CliParse {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        users: { type: 'string' },
        seed: { type: 'string' },
        'allow-remote': { type: 'boolean' },
        'oidc-issuer': { type: 'string' },
        'oidc-audience': { type: 'string' },
        ...Object.fromEntries(Object.keys(SWITCHES).map((flag) => [flag, { type: 'boolean' }])),
        'health-interval-ms': { type: 'string' },
        'id-style': { type: 'string' },
        'duplicate-ids': { type: 'boolean' },
        malformed: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { kind: 'help' };
  const port = integer(values.port ?? '39300', 0, 65535);
  const users = integer(values.users ?? '3', 0, 1_000_000);
  const seed = integer(values.seed ?? '1', -(2 ** 31), 2 ** 32 - 1);
  if (port === undefined) return { kind: 'error', message: '--port must be an integer 0..65535' };
  if (users === undefined) return { kind: 'error', message: '--users must be an integer >= 0' };
  if (seed === undefined) return { kind: 'error', message: '--seed must be an integer' };
  const host = values.host ?? '127.0.0.1';
  if (!isLoopback(host) && !values['allow-remote']) {
    return {
      kind: 'error',
      message:
        `Refusing to listen on ${host}: it is not a loopback address, and anyone who can reach ` +
        'the emulator can mint tokens and change its state. Pass --allow-remote to do it anyway.',
    };
  }
  const issuer = values['oidc-issuer'];
  const audience = values['oidc-audience'];
  if (audience !== undefined && issuer === undefined) {
    return { kind: 'error', message: '--oidc-audience needs --oidc-issuer' };
  }
  if (issuer !== undefined && !isIssuerUrl(issuer)) {
    return {
      kind: 'error',
      message: '--oidc-issuer must be an https:// URL, or http:// on a loopback address',
    };
  }
  const oidc = issuer === undefined ? {} : { oidc: { issuer, ...(audience ? { audience } : {}) } };
  const extras = parseExtras(values);
  if (typeof extras === 'string') return { kind: 'error', message: extras };
  return { kind: 'run', options: { port, host, users, seed, ...oidc, ...extras } };
}

/** The switches, streams and oddities flags; only those given appear. A string is an error. */
function parseExtras(values: Record<string, string | boolean | undefined>): Extras | string {
  const extras: Extras = {};
  const off = Object.keys(SWITCHES).flatMap((flag) => (values[flag] ? (SWITCHES[flag] ?? []) : []));
  if (off.length > 0) extras.features = Object.fromEntries(off.map((name) => [name, false]));
  const interval = values['health-interval-ms'];
  if (interval !== undefined) {
    const ms = integer(String(interval), 1, 3_600_000);
    if (ms === undefined) return '--health-interval-ms must be an integer 1..3600000';
    extras.healthIntervalMs = ms;
  }
  const idStyle = values['id-style'];
  if (idStyle !== undefined) {
    if (idStyle !== 'uuid' && idStyle !== 'opaque' && idStyle !== 'awkward')
      return '--id-style must be uuid, opaque or awkward';
    extras.idStyle = idStyle;
  }
  const malformed = values.malformed;
  if (values['duplicate-ids'] || malformed !== undefined) {
    extras.oddities = values['duplicate-ids'] ? { duplicateIds: true } : {};
    if (malformed !== undefined) {
      const fields = String(malformed)
        .split(',')
        .map((f) => f.trim());
      const known: readonly string[] = MALFORMED_FIELDS;
      const bad = fields.find((f) => !known.includes(f));
      if (bad !== undefined)
        return `--malformed: unknown field "${bad}"; use ${MALFORMED_FIELDS.join(', ')}`;
      extras.oddities.malformed = fields as MalformedField[];
    }
  }
  return extras;
}

function isIssuerUrl(text: string): boolean {
  try {
    const url = new URL(text);
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && isLoopback(url.hostname.replace(/^\[|\]$/g, ''));
  } catch {
    return false;
  }
}

function integer(text: string, min: number, max: number): number | undefined {
  if (!/^-?\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** 127.0.0.0/8, ::1 (in any spelling, including ::ffff:127.x) or localhost. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
}
