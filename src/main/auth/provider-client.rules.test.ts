// How long the app waits for each request to the sign-in provider: 15 seconds unless told, and
// what it is told otherwise. Read from the discovered configuration (openid-client applies it to
// every request of that provider), so no test waits for a clock.
import { describe, expect, it } from 'vitest';
import { discoverProvider } from './provider-client';
import { useTestProvider } from '../../../test/support/use-test-provider';

const provider = useTestProvider();

describe('discoverProvider: request timeout', () => {
  it('is 15 seconds by default', async () => {
    const config = await discoverProvider(provider().settings(), { allowLoopbackIssuer: true });
    expect(config.timeout).toBe(15);
  });

  it('is the one asked for', async () => {
    const config = await discoverProvider(provider().settings(), {
      allowLoopbackIssuer: true,
      requestTimeoutSec: 2,
    });
    expect(config.timeout).toBe(2);
  });
});
