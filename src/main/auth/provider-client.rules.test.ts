// How long the app waits for each request to the sign-in provider: 15 seconds unless told, and
// what it is told otherwise. Read from the discovered configuration (openid-client applies it to
// every request of that provider), so no test waits for a clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverProvider } from './provider-client';
import { startTestProvider, type TestProvider } from '../../../test/support/oidc-test-provider';

let provider: TestProvider;
beforeAll(async () => {
  provider = await startTestProvider();
});
afterAll(async () => {
  await provider.close();
});

describe('discoverProvider: request timeout', () => {
  it('is 15 seconds by default', async () => {
    const config = await discoverProvider(provider.settings(), { allowLoopbackIssuer: true });
    expect(config.timeout).toBe(15);
  });

  it('is the one asked for', async () => {
    const config = await discoverProvider(provider.settings(), {
      allowLoopbackIssuer: true,
      requestTimeoutSec: 2,
    });
    expect(config.timeout).toBe(2);
  });
});
