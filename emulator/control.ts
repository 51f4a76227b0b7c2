// The /__emulator/* test controls: thin JSON wrappers over the library API, so a test in another
// process (e2e, demos) can do what an in-process test does.

import { parseJson } from './errors';
import { json, type Reply } from './http';
import type { ControlName } from './routes';
import { ENDPOINT_NAMES, type Emulator, type FaultConfig, type MintTokenInput } from './types';

export interface Controllable extends Omit<Emulator, 'url' | 'port' | 'stop' | 'start' | 'close'> {
  faults(): FaultConfig;
}

export function control(name: ControlName, emulator: Controllable, body: string): Reply {
  switch (name) {
    case 'tokens':
      // mintToken validates its input, so the cast only names the shape we hope for.
      return json(JSON.stringify(emulator.mintToken(parseJson(body) as MintTokenInput)));
    case 'faults':
      emulator.setFaults(parseJson(body) as FaultConfig);
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
        }),
      );
  }
}
