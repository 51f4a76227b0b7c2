import { describe, expect, it } from 'vitest';

describe('initials', () => {
  it('takes whole graphemes: emoji, flags, accented and non-Latin letters', async () => {
    const { initials } = await import('./format');
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('ada@example.com')).toBe('A');
    expect(initials('🦊 Fox Mulder')).toBe('🦊');
    expect(initials('👩‍💻 dev')).toBe('👩‍💻');
    expect(initials('🇫🇷 Équipe')).toBe('🇫🇷');
    expect(initials('张伟')).toBe('张');
    expect(initials('김 민수')).toBe('김');
    expect(initials('Ångström émile')).toBe('ÅÉ');
    expect(initials('e\u0301lise bo')).toBe('E\u0301B');
    expect(initials('Ольга Петрова')).toBe('ОП');
    expect(initials('')).toBe('?');
  });
});

describe('avatarHue', () => {
  it('tells look-alike keys apart and keeps one key on one hue', async () => {
    const { avatarHue } = await import('./format');
    const keys = ['ana@a.io', 'ana@b.io', 'anna@a.io', 'ana1@a.io', 'ana2@a.io', 'Ana@a.io'];
    const hues = keys.map(avatarHue);
    for (const h of hues) {
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThan(360);
    }
    // The whole key counts, not its first letter: all six differ, spread around the wheel.
    expect(new Set(hues).size).toBe(keys.length);
    expect(Math.max(...hues) - Math.min(...hues)).toBeGreaterThan(90);
    expect(avatarHue('ana@a.io')).toBe(hues[0]);
  });
});
