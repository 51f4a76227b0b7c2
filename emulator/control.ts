// The /__emulator/* test controls: thin JSON wrappers over the library API, so a test in another
// process (e2e, demos) can do what an in-process test does. The sign-in forms of the emulator's
// sign-in page post here too (form-encoded) and get an HTML page back.

import { HttpError, badRequest, isRecord, parseJson } from './errors';
import { json, type Reply } from './http';
import type { ControlName } from './routes';
import { resultPage, signInPage, type KnownUser } from './sign-in-page';
import {
  ENDPOINT_NAMES,
  type Emulator,
  type FaultConfig,
  type Features,
  type MintTokenInput,
  type Oddities,
  type SignInIdentity,
  type StreamFaults,
  type StreamName,
} from './types';

export interface Controllable extends Omit<
  Emulator,
  'url' | 'port' | 'signInPageUrl' | 'stop' | 'start' | 'close'
> {
  faults(): FaultConfig;
  /** Everyone the sign-in page offers: users known since the last reset. */
  knownUsers(): KnownUser[];
}

export interface ControlRequest {
  body: string;
  /** The body is `application/x-www-form-urlencoded` (a form of the sign-in page). */
  form: boolean;
}

const html = (status: number, body: string): Reply => ({
  status,
  type: 'text/html; charset=utf-8',
  body,
});

export function control(name: ControlName, emulator: Controllable, req: ControlRequest): Reply {
  const input = (): unknown =>
    req.form ? Object.fromEntries(new URLSearchParams(req.body)) : parseJson(req.body || '{}');
  switch (name) {
    case 'tokens':
      // mintToken validates its input, so the cast only names the shape we hope for.
      return json(JSON.stringify(emulator.mintToken(parseJson(req.body) as MintTokenInput)));
    case 'faults':
      emulator.setFaults(parseJson(req.body) as FaultConfig);
      return json(JSON.stringify({ faults: emulator.faults() }));
    case 'reset':
      emulator.reset();
      return json('{"ok":true}');
    case 'state':
      return json(
        JSON.stringify({
          users: emulator.users(),
          currentUserId: emulator.currentUserId(),
          requestCounts: Object.fromEntries(
            ENDPOINT_NAMES.map((e) => [e, emulator.requestCount(e)]),
          ),
          faults: emulator.faults(),
          features: emulator.features(),
          oddities: emulator.oddities(),
          streamFaults: emulator.streamFaults(),
          pendingSignIns: emulator.pendingSignIns(),
          streamClients: {
            user: emulator.streamClients('user'),
            health: emulator.streamClients('health'),
          },
        }),
      );
    case 'features':
      emulator.setFeatures(parseJson(req.body) as Partial<Features>);
      return json(JSON.stringify({ features: emulator.features() }));
    case 'oddities':
      emulator.setOddities(parseJson(req.body) as Oddities);
      return json(JSON.stringify({ oddities: emulator.oddities() }));
    case 'signInPage':
      return html(200, signInPage(emulator.knownUsers(), emulator.pendingSignIns()));
    case 'signInComplete':
      return complete(emulator, input() as SignInIdentity, req.form);
    case 'signInCancel': {
      const cancelled = emulator.cancelSignIn();
      if (!req.form) return json(JSON.stringify({ cancelled }));
      return html(200, resultPage('Sign-in cancelled', 'You can close this tab.'));
    }
    case 'streamFaults':
      emulator.setStreamFaults(parseJson(req.body) as StreamFaults);
      return json(JSON.stringify({ streamFaults: emulator.streamFaults() }));
    case 'streamSend': {
      const { stream, message, times } = streamSend(parseJson(req.body));
      return json(JSON.stringify({ sockets: emulator.sendToStream(stream, message, times) }));
    }
    case 'streamDrop': {
      const body = parseJson(req.body || '{}');
      const stream = isRecord(body) ? body.stream : undefined;
      if (stream !== undefined && !isStream(stream)) {
        throw badRequest('"stream" must be "user" or "health" (or absent for both).');
      }
      emulator.dropStreams(stream);
      return json('{"ok":true}');
    }
  }
}

function complete(emulator: Controllable, identity: SignInIdentity, form: boolean): Reply {
  if (!form) {
    const answered = emulator.pendingSignIns();
    return json(JSON.stringify({ user: emulator.completeSignIn(identity), answered }));
  }
  try {
    const user = emulator.completeSignIn(identity) as { email?: string; name?: string };
    const who = user.name ?? user.email ?? 'the chosen account';
    return html(200, resultPage('Signed in', `Signed in as ${who}. You can close this tab.`));
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return html(error.status, resultPage('Could not sign in', error.message));
  }
}

const isStream = (value: unknown): value is StreamName => value === 'user' || value === 'health';

function streamSend(body: unknown): { stream: StreamName; message: string; times: number } {
  if (!isRecord(body)) throw badRequest('Expected { "stream", "message", "times"? }.');
  const { stream, message, times = 1 } = body;
  if (!isStream(stream)) throw badRequest('"stream" must be "user" or "health".');
  if (typeof message !== 'string') throw badRequest('"message" must be a string.');
  if (!Number.isInteger(times) || (times as number) < 1 || (times as number) > 100_000) {
    throw badRequest('"times" must be an integer 1..100000.');
  }
  return { stream, message, times: times as number };
}
