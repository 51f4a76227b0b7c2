import { describe, expect, it } from 'vitest';
import { triedText } from './format';

describe('triedText', () => {
  it('folds a port probe into one range and keeps the rest', () => {
    const probe = Array.from({ length: 34 }, (_, i) => `http://127.0.0.1:${39300 + i}`);
    expect(triedText([...probe, 'http://127.0.0.1:5323', 'http://127.0.0.1:1000'])).toBe(
      'http://127.0.0.1:39300–39333, http://127.0.0.1:5323, and http://127.0.0.1:1000',
    );
  });

  it('shows a single URL as it is', () => {
    expect(triedText(['http://127.0.0.1:39311'])).toBe('http://127.0.0.1:39311');
    expect(triedText(['https://pieces.example/api'])).toBe('https://pieces.example/api');
  });
});

describe('providerLabel', () => {
  it('names every provider type Pieces OS documents, and passes unknown ones through', async () => {
    const { providerLabel } = await import('./format');
    const documented = [
      'github',
      'google-oauth2',
      'bitbucket',
      'linkedin',
      'twitter',
      'facebook',
      'waad',
      'discord',
      'gitlab',
      'apple',
      'username_email',
      'slack',
    ];
    for (const type of documented) expect(providerLabel(type), type).not.toBe(type);
    expect(providerLabel('myspace')).toBe('myspace');
  });
});
