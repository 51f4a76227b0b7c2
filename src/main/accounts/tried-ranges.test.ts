import { describe, expect, it } from 'vitest';
import { triedRanges } from './tried-ranges';

describe('triedRanges', () => {
  it('folds a port probe into one range and keeps the rest, in order', () => {
    const probe = Array.from({ length: 34 }, (_, i) => `http://127.0.0.1:${39300 + i}`);
    expect(triedRanges([...probe, 'http://127.0.0.1:5323', 'http://127.0.0.1:1000'])).toEqual([
      'http://127.0.0.1:39300–39333',
      'http://127.0.0.1:5323',
      'http://127.0.0.1:1000',
    ]);
  });

  it('keeps a single URL as it is, and ranges only consecutive ports of one host', () => {
    expect(triedRanges(['http://127.0.0.1:39311'])).toEqual(['http://127.0.0.1:39311']);
    expect(triedRanges(['https://pieces.example/api'])).toEqual(['https://pieces.example/api']);
    expect(
      triedRanges(['http://127.0.0.1:1000/', 'http://localhost:1001', 'http://localhost:1002']),
    ).toEqual(['http://127.0.0.1:1000', 'http://localhost:1001–1002']);
    expect(triedRanges(['http://127.0.0.1:1002', 'http://127.0.0.1:1001'])).toEqual([
      'http://127.0.0.1:1002',
      'http://127.0.0.1:1001',
    ]);
    expect(triedRanges([])).toEqual([]);
  });
});
