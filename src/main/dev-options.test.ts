import { describe, expect, it } from 'vitest';
import { devOptions, isSamePage } from './dev-options';

const DEV_ENV = {
  ELECTRON_RENDERER_URL: 'http://localhost:5173/',
  PIECES_SWITCHER_SIGN_IN_FILE: '/tmp/demo-tokens.json',
  PIECES_SWITCHER_TEST_HOOKS: '1',
  PIECES_SWITCHER_USER_DATA: '/tmp/profile',
};

describe('devOptions', () => {
  it('honours the development and test switches in a development build', () => {
    expect(devOptions(DEV_ENV, false)).toEqual({
      rendererUrl: 'http://localhost:5173/',
      signInFile: '/tmp/demo-tokens.json',
      testHooks: true,
      userData: '/tmp/profile',
    });
  });

  it('honours none of them in a packaged app', () => {
    expect(devOptions(DEV_ENV, true)).toEqual({ testHooks: false });
  });

  it('ignores a renderer URL that is not http(s), and blank values', () => {
    expect(
      devOptions(
        { ELECTRON_RENDERER_URL: 'file:///etc/passwd', PIECES_SWITCHER_USER_DATA: '  ' },
        false,
      ),
    ).toEqual({ testHooks: false });
    expect(devOptions({ PIECES_SWITCHER_TEST_HOOKS: 'yes' }, false).testHooks).toBe(false);
  });
});

describe('isSamePage', () => {
  const page = 'http://localhost:5173/';
  it('accepts the page itself, with any query or hash', () => {
    expect(isSamePage('http://localhost:5173/', page)).toBe(true);
    expect(isSamePage('http://localhost:5173/?x=1#top', page)).toBe(true);
    const file = 'file:///app/out/renderer/index.html';
    expect(isSamePage('file:///app/out/renderer/index.html#a', file)).toBe(true);
  });

  it('refuses what merely starts like it (the prefix match the audit exploited)', () => {
    for (const url of [
      'http://localhost:5173.evil.example/',
      'http://localhost:5173/evil.html',
      'http://localhost:51730/',
      'https://localhost:5173/',
      'file:///app/out/renderer/index.html.evil',
      'not a url',
    ]) {
      expect(
        isSamePage(url, url.startsWith('file') ? 'file:///app/out/renderer/index.html' : page),
      ).toBe(false);
    }
  });
});
