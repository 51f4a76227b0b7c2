import { describe, expect, it } from 'vitest';
import { linkForLog, linksIn, MAX_LINK_LENGTH, parseSwitcherLink } from './switcher-link';

const ID = '6a02fc3e-1645-584a-a561-d0e92f304c28';

describe('parseSwitcherLink accepts the documented links', () => {
  it.each([
    [
      'pieces-switcher://switch?email=ada%40example.com',
      { action: 'switch', email: 'ada@example.com' },
    ],
    [
      'pieces-switcher://switch?email=ada@example.com',
      { action: 'switch', email: 'ada@example.com' },
    ],
    [
      'pieces-switcher://switch/?email=ada%2Btag%40example.com',
      { action: 'switch', email: 'ada+tag@example.com' },
    ],
    [`pieces-switcher://switch?id=${ID}`, { action: 'switch', id: ID }],
    ['PIECES-SWITCHER://switch?id=' + ID, { action: 'switch', id: ID }],
    ['pieces-switcher://open', { action: 'open' }],
    ['pieces-switcher://open/', { action: 'open' }],
  ])('%s', (raw, link) => {
    expect(parseSwitcherLink(raw)).toEqual({ ok: true, link });
  });
});

describe('parseSwitcherLink refuses everything else', () => {
  it.each([
    // other schemes and forms
    ['javascript:alert(1)', /not a pieces-switcher:\/\/ link/],
    ['https://switch?email=ada@example.com', /not a pieces-switcher/],
    ['file:///etc/passwd', /not a pieces-switcher/],
    ['pieces-switcher:switch?email=ada@example.com', /not a pieces-switcher/],
    ['pieces-switcher:/switch?email=ada@example.com', /not a pieces-switcher/],
    [' pieces-switcher://open', /spaces, control characters/],
    ['pieces-switcher://open\n', /spaces, control characters/],
    ['pieces-switcher://switch?email=ada@example.com\u0000', /control characters/],
    ['pieces-switcher://switch\\?email=ada@example.com', /backslashes/],
    // actions
    ['pieces-switcher://', /not a documented action/],
    ['pieces-switcher://signout?email=ada@example.com', /not a documented action/],
    ['pieces-switcher://sign-out?id=' + ID, /not a documented action/],
    ['pieces-switcher://Switch?email=ada@example.com', /not a documented action/],
    ['pieces-switcher://sw%69tch?email=ada@example.com', /not a documented action/],
    ['pieces-switcher://open?email=ada@example.com', /open takes no parameters/],
    ['pieces-switcher://open?', /open takes no parameters/],
    // authority tricks
    ['pieces-switcher://user:pass@switch?email=ada@example.com', /user name or password/],
    ['pieces-switcher://@switch?email=ada@example.com', /user name or password/],
    ['pieces-switcher://switch:8080?email=ada@example.com', /port/],
    ['pieces-switcher://switch?email=ada@example.com#x', /fragment/],
    // paths
    ['pieces-switcher://switch/x?email=ada@example.com', /has a path/],
    ['pieces-switcher://switch/../open', /has a path|not a documented action/],
    ['pieces-switcher://switch/..%2F..%2Fopen?email=ada@example.com', /has a path/],
    ['pieces-switcher://switch//?email=ada@example.com', /has a path/],
    // parameters
    ['pieces-switcher://switch', /exactly one parameter/],
    ['pieces-switcher://switch?', /exactly one parameter/],
    [
      'pieces-switcher://switch?email=ada@example.com&email=eve@example.com',
      /exactly one parameter/,
    ],
    ['pieces-switcher://switch?email=ada@example.com&id=' + ID, /exactly one parameter/],
    ['pieces-switcher://switch?email=ada@example.com&confirm=no', /exactly one parameter/],
    ['pieces-switcher://switch?name=Ada', /exactly one parameter/],
    ['pieces-switcher://switch?EMAIL=ada@example.com', /exactly one parameter/],
    ['pieces-switcher://switch?email', /not an email address/],
    ['pieces-switcher://switch?email=', /not an email address/],
    ['pieces-switcher://switch?email=ada', /not an email address/],
    ['pieces-switcher://switch?email=<script>@example.com', /not an email address/],
    ['pieces-switcher://switch?email=ada@example.com%0Aevil', /control characters/],
    ['pieces-switcher://switch?email=ada%00@example.com', /control characters/],
    ['pieces-switcher://switch?email=ada%20x@example.com', /spaces or control/],
    ['pieces-switcher://switch?email=ada+x@example.com', /spaces or control/], // "+" is a space
    ['pieces-switcher://switch?email=ada%E2%80%A8@example.com', /control characters/],
    ['pieces-switcher://switch?email=' + 'a'.repeat(250) + '@example.com', /not an email address/],
    ['pieces-switcher://switch?id=../../etc', /not an account id/],
    ['pieces-switcher://switch?id=__proto__', /not an account id/],
    ['pieces-switcher://switch?id=', /not an account id/],
    ['pieces-switcher://switch?id=%2e%2e', /not an account id/],
    // size
    ['pieces-switcher://switch?email=' + 'a'.repeat(MAX_LINK_LENGTH) + '@example.com', /too long/],
    ['pieces-switcher://open' + '/'.repeat(100_000), /too long/],
  ])('%s', (raw, reason) => {
    const verdict = parseSwitcherLink(raw);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(reason);
  });

  it('refuses what is not text', () => {
    for (const value of [undefined, null, 42, {}, ['pieces-switcher://open']]) {
      expect(parseSwitcherLink(value)).toEqual({ ok: false, reason: 'not text' });
    }
  });
});

describe('linksIn and linkForLog', () => {
  it('finds links among arguments, whatever the scheme case', () => {
    expect(linksIn(['app', '--x', 'Pieces-Switcher://open', 'https://x.example'])).toEqual([
      'Pieces-Switcher://open',
    ]);
  });

  it('shows a refused link short and with odd characters escaped', () => {
    expect(linkForLog('a\nb\u0000')).toBe('"a\\nb\\u0000"');
    expect(linkForLog('x'.repeat(500))).toHaveLength(103);
  });
});
