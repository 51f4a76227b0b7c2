import { describe, expect, it } from 'vitest';
import { canOpenForSignIn } from './open-policy';
import { isAllowedIssuer, isLoopbackHost, oauthProviderSchema } from './provider';

describe('canOpenForSignIn: what the system browser may be given', () => {
  const issuer = 'https://login.example.com/tenant';

  it('allows pages on the https issuer’s own origin', () => {
    expect(canOpenForSignIn('https://login.example.com/authorize?x=1', issuer, false)).toBe(true);
    expect(canOpenForSignIn('https://login.example.com/other/path', issuer, false)).toBe(true);
  });

  it('refuses anything else', () => {
    for (const url of [
      'https://evil.example/authorize',
      'https://login.example.com.evil.example/authorize',
      'https://login.example.com:8443/authorize',
      'http://login.example.com/authorize',
      'https://user:pass@login.example.com/authorize',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'ms-settings:privacy',
      'not a url',
    ]) {
      expect(canOpenForSignIn(url, issuer, true), url).toBe(false);
    }
  });

  it('allows an http loopback issuer only when loopback issuers are allowed', () => {
    const local = 'http://127.0.0.1:4444';
    expect(canOpenForSignIn('http://127.0.0.1:4444/authorize', local, true)).toBe(true);
    expect(canOpenForSignIn('http://127.0.0.1:4444/authorize', local, false)).toBe(false);
    expect(canOpenForSignIn('http://127.0.0.1:5555/authorize', local, true)).toBe(false);
  });

  it('refuses every URL when the issuer itself is not allowed', () => {
    expect(canOpenForSignIn('http://idp.example/authorize', 'http://idp.example', true)).toBe(
      false,
    );
  });
});

describe('provider setting', () => {
  it('knows loopback hosts as URL.hostname spells them', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '[::1]']) {
      expect(isLoopbackHost(h), h).toBe(true);
    }
    for (const h of ['128.0.0.1', '127.0.0.1.evil.example', '10.0.0.1', '[::2]', 'example.com']) {
      expect(isLoopbackHost(h), h).toBe(false);
    }
  });

  it('accepts https issuers and http only on loopback; no credentials, query or fragment', () => {
    expect(isAllowedIssuer('https://login.example.com')).toBe(true);
    expect(isAllowedIssuer('https://login.example.com/tenant/v2.0')).toBe(true);
    expect(isAllowedIssuer('http://127.0.0.1:8080')).toBe(true);
    expect(isAllowedIssuer('http://localhost:8080/realms/x')).toBe(true);
    for (const bad of [
      'http://login.example.com',
      'https://login.example.com/?a=1',
      'https://login.example.com/#x',
      'https://u:p@login.example.com',
      'ftp://login.example.com',
      'login.example.com',
    ]) {
      expect(isAllowedIssuer(bad), bad).toBe(false);
    }
  });

  it('validates the whole setting', () => {
    const good = { issuer: 'https://idp.example', clientId: 'app', scopes: ['openid', 'email'] };
    expect(oauthProviderSchema.safeParse(good).success).toBe(true);
    for (const bad of [
      { ...good, clientId: '' },
      { ...good, clientId: 'has space' },
      { ...good, scopes: [] },
      { ...good, scopes: ['email'] },
      { ...good, scopes: ['openid', 'a"b'] },
      { ...good, scopes: Array.from({ length: 21 }, (_, i) => `s${i}`).concat('openid') },
      { ...good, clientSecret: 'x' },
    ]) {
      expect(oauthProviderSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
