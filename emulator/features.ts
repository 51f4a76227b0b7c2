// The parts of the API a Pieces OS build may lack, and the switches that turn them off (404), so
// the emulator can play an older Pieces OS.

import { badRequest, isRecord } from './errors';
import {
  FEATURE_NAMES,
  type EndpointName,
  type FeatureName,
  type Features,
  type StreamName,
} from './types';

/** Endpoints that exist only in newer Pieces OS builds, and the switch that offers them. */
export const ENDPOINT_FEATURES: Partial<Record<EndpointName, FeatureName>> = {
  osSignIn: 'osSignIn',
  osSignOut: 'osSignOut',
  accessToken: 'accessToken',
};

export const STREAM_FEATURES: Record<StreamName, FeatureName> = {
  user: 'userStream',
  health: 'healthStream',
};

export function parseFeatures(input: unknown): Partial<Features> {
  if (!isRecord(input)) throw badRequest('Features must be an object of booleans.');
  const known: readonly string[] = FEATURE_NAMES;
  for (const [name, on] of Object.entries(input)) {
    if (!known.includes(name)) {
      throw badRequest(`Unknown feature "${name}"; use one of: ${FEATURE_NAMES.join(', ')}.`);
    }
    if (on !== undefined && typeof on !== 'boolean')
      throw badRequest(`"${name}" must be a boolean.`);
  }
  // Absent and undefined both mean "leave as it is".
  return Object.fromEntries(
    Object.entries(input).filter(([, on]) => on !== undefined),
  ) as Partial<Features>;
}

export const ALL_ON = Object.fromEntries(FEATURE_NAMES.map((name) => [name, true])) as Features;
