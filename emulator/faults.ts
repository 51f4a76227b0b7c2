// Fault injection: validating a FaultConfig, deciding per request which fault applies, and the
// replies the faults produce.

import { STATUS_CODES } from 'node:http';
import { badRequest, isRecord } from './errors';
import { json, text, type Reply } from './http';
import { mangleBody } from './mangle';
import { createRng, type Rng } from './prng';
import { ENDPOINT_NAMES, type EndpointName, type Fault, type FaultConfig } from './types';

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isBoolean = (v: unknown): boolean => typeof v === 'boolean';
const isIntIn = (v: unknown, min: number, max: number): boolean =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/** What each property accepts: words for the error message, and the check. Typos are refused. */
const RULES: Record<keyof Fault, [string, (v: unknown) => boolean]> = {
  latencyMs: ['a number of milliseconds >= 0', (v) => isNumber(v) && v >= 0],
  status: ['an HTTP status 200..599', (v) => isIntIn(v, 200, 599)],
  body: ['a string', (v) => typeof v === 'string'],
  rate: ['a number 0..1', (v) => isNumber(v) && v >= 0 && v <= 1],
  times: ['an integer >= 1', (v) => isIntIn(v, 1, Number.MAX_SAFE_INTEGER)],
  malformedJson: ['a boolean', isBoolean],
  missingField: ['a non-empty string', (v) => typeof v === 'string' && v !== ''],
  html: ['a boolean', isBoolean],
  drop: ['a boolean', isBoolean],
  trickleMs: ['a number of milliseconds > 0', (v) => isNumber(v) && v > 0],
  extraFields: ['a boolean', isBoolean],
  hang: ['a boolean', isBoolean],
};
const TARGETS = new Set<string>([...ENDPOINT_NAMES, '*']);

/** Returns a validated copy; throws a 400 HttpError naming the bad key. */
export function parseFaultConfig(input: unknown): FaultConfig {
  if (!isRecord(input)) throw badRequest('Faults must be an object keyed by endpoint name or "*".');
  const config: FaultConfig = {};
  for (const [target, fault] of Object.entries(input)) {
    if (!TARGETS.has(target)) {
      throw badRequest(`Unknown endpoint "${target}"; use one of: ${[...TARGETS].join(', ')}.`);
    }
    if (fault === undefined) continue;
    if (!isRecord(fault)) throw badRequest(`Fault "${target}" must be an object.`);
    const copy: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(fault)) {
      const rule = Object.hasOwn(RULES, name) ? RULES[name as keyof Fault] : undefined;
      if (rule === undefined) throw badRequest(`Unknown fault property "${target}.${name}".`);
      if (value === undefined) continue;
      if (!rule[1](value)) throw badRequest(`"${target}.${name}" must be ${rule[0]}.`);
      copy[name] = value;
    }
    config[target as EndpointName | '*'] = copy;
  }
  return config;
}

export class FaultBook {
  private config: FaultConfig = {};
  private rng: Rng;

  constructor(private readonly seed: number) {
    this.rng = createRng(seed);
  }

  /** Replaces the config and reseeds the PRNG, so one config always rolls the same sequence. */
  set(input: unknown): void {
    this.config = parseFaultConfig(input);
    this.rng = createRng(this.seed);
  }

  snapshot(): FaultConfig {
    return structuredClone(this.config);
  }

  /** The fault for this request, if one applies. An endpoint's own entry replaces '*' for it. */
  take(endpoint: EndpointName): Fault | undefined {
    const target = endpoint in this.config ? endpoint : '*';
    const fault = this.config[target];
    if (fault === undefined) return undefined;
    if (fault.rate !== undefined && !this.rng.chance(fault.rate)) return undefined;
    if (fault.times !== undefined && --fault.times === 0) delete this.config[target];
    return fault;
  }
}

const HTML =
  '<html><head><title>Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>' +
  '<p>Emulated proxy page.</p></body></html>';

/** Faults that answer instead of the endpoint. The endpoint never runs, so no state changes. */
export function replacement(fault: Fault): Reply | 'drop' | undefined {
  if (fault.drop) return 'drop';
  if (fault.status !== undefined) {
    const words = STATUS_CODES[fault.status] ?? 'Error';
    return text(fault.status, fault.body ?? `Emulated fault: ${fault.status} ${words}`);
  }
  if (fault.html) return { status: 200, type: 'text/html; charset=utf-8', body: HTML };
  return undefined;
}

/** Faults that spoil the endpoint's answer. The endpoint ran, so its state change happened. */
export function corrupt(fault: Fault, reply: Reply): Reply {
  if (fault.malformedJson) {
    // Any strict prefix of a JSON object is invalid JSON: it looks like a body cut short.
    const whole = reply.body.toString();
    return json(reply.shape ? whole.slice(0, whole.length >> 1) : '{"ok":tru');
  }
  if (reply.shape && (fault.missingField !== undefined || fault.extraFields)) {
    return { ...reply, body: mangleBody(reply.body.toString(), reply.shape, fault) };
  }
  return reply;
}
