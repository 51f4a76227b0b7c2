import { afterAll, beforeAll } from 'vitest';
import { startTestProvider, type TestProvider } from './oidc-test-provider';

/**
 * One test provider for all the tests of a file (registers beforeAll/afterAll): starting one
 * generates its RSA signing key, which costs more than most tests that use it. Call the returned
 * function inside tests and hooks, not at import time.
 */
export function useTestProvider(): () => TestProvider {
  let provider: TestProvider | undefined;
  beforeAll(async () => {
    provider = await startTestProvider();
  });
  afterAll(async () => {
    await provider?.close();
  });
  return () => {
    if (!provider) throw new Error('the test provider is read before it started (outside a test)');
    return provider;
  };
}
