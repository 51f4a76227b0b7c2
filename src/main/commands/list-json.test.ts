import { describe, expect, it } from 'vitest';
import { lastTried } from './list-json';

describe('lastTried', () => {
  it('names the last address tried, the end of a range of ports, or null when none was', () => {
    expect(lastTried(['http://127.0.0.1:5323', 'http://127.0.0.1:39300–39333'])).toBe(
      'http://127.0.0.1:39333',
    );
    expect(lastTried(['http://127.0.0.1:39300–39333', 'https://pieces.example/api'])).toBe(
      'https://pieces.example/api',
    );
    expect(lastTried([])).toBeNull();
  });
});
