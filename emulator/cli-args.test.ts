import { describe, expect, it } from 'vitest';
import { USAGE, parseCliArgs } from './cli-args';

// The flags for the sign-in / stream switches and the oddities (the older flags are covered in
// cli.test.ts).

const options = (args: string[]): unknown => {
  const parsed = parseCliArgs(args);
  expect(parsed.kind).toBe('run');
  return parsed.kind === 'run' ? parsed.options : undefined;
};

describe('parseCliArgs: switches, streams and oddities', () => {
  it('turns parts of the API off', () => {
    expect(options(['--no-streams'])).toMatchObject({
      features: { userStream: false, healthStream: false },
    });
    expect(options(['--no-os-sign-in', '--no-access-token'])).toMatchObject({
      features: { osSignIn: false, accessToken: false },
    });
    expect(options(['--no-user-stream'])).toMatchObject({ features: { userStream: false } });
    expect(options(['--older-pieces-os'])).toMatchObject({
      features: {
        userStream: false,
        healthStream: false,
        osSignIn: false,
        osSignOut: false,
        accessToken: false,
      },
    });
  });

  it('reads the health interval, the id style and the oddities', () => {
    expect(
      options([
        '--health-interval-ms',
        '5000',
        '--id-style=opaque',
        '--duplicate-ids',
        '--malformed',
        'auth0,allocationUrlId',
      ]),
    ).toMatchObject({
      healthIntervalMs: 5000,
      idStyle: 'opaque',
      oddities: { duplicateIds: true, malformed: ['auth0', 'allocationUrlId'] },
    });
    expect(options(['--malformed=providerDate'])).toMatchObject({
      oddities: { malformed: ['providerDate'] },
    });
  });

  it.each([
    [['--health-interval-ms', '0'], /--health-interval-ms/],
    [['--id-style', 'ulid'], /--id-style/],
    [['--malformed', 'auth0,picture'], /picture/],
    [['--no-stream'], /Unknown option/],
  ])('refuses %j', (args, message) => {
    const parsed = parseCliArgs(args);
    expect(parsed.kind === 'error' && parsed.message).toMatch(message);
  });

  it('documents every flag in the usage', () => {
    for (const flag of [
      '--no-streams',
      '--no-user-stream',
      '--no-health-stream',
      '--no-os-sign-in',
      '--no-os-sign-out',
      '--no-access-token',
      '--older-pieces-os',
      '--health-interval-ms',
      '--id-style',
      '--duplicate-ids',
      '--malformed',
    ]) {
      expect(USAGE).toContain(flag);
    }
  });
});
