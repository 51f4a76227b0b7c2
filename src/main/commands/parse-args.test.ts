import { describe, expect, it } from 'vitest';
import { commandArgsOf, parseCommand } from './parse-args';

describe('parseCommand', () => {
  it.each([
    [['--switch', 'ada@example.com'], { kind: 'switch', query: 'ada@example.com' }],
    [['--switch=Ada Lovelace'], { kind: 'switch', query: 'Ada Lovelace' }],
    [['--switch', '  ada  '], { kind: 'switch', query: 'ada' }],
    [['--sign-out', 'ada'], { kind: 'sign-out', query: 'ada' }],
    [['--list'], { kind: 'list', json: false }],
    [['--list', '--json'], { kind: 'list', json: true }],
    [['--json', '--list'], { kind: 'list', json: true }],
    [['--status'], { kind: 'status', json: false }],
    [['--status', '--json'], { kind: 'status', json: true }],
    [['--help'], { kind: 'help' }],
    [['-h'], { kind: 'help' }],
  ])('%j is %j', (args, command) => {
    expect(parseCommand(args)).toEqual({ ok: true, command });
  });

  it.each([
    [[], /No command/],
    [['--swtch', 'ada'], /Unknown option '--swtch'/],
    [['--switch'], /argument missing/],
    [['--switch', '--list'], /ambiguous/],
    [['--switch', ''], /needs an email, a name or an account id/],
    [['--switch', '   '], /needs an email/],
    [['--switch', 'a'.repeat(321)], /too long/],
    [['--switch', 'ada\u0007'], /control characters/],
    [['--list', '--status'], /One command at a time: --list, --status/],
    [['--switch', 'ada', '--sign-out', 'bob'], /One command at a time/],
    [['--switch', 'ada', '--json'], /--json goes with --list or --status/],
    [['--json'], /No command/],
    [['--list', 'extra'], /Unexpected argument 'extra'/],
    [['--list=yes'], /does not take an argument/],
  ])('refuses %j', (args, message) => {
    const parsed = parseCommand(args);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});

describe('commandArgsOf', () => {
  it('finds the command after the executable, the app path and Chromium switches', () => {
    expect(commandArgsOf(['/opt/app/pieces-account-switcher', '--switch', 'ada'])).toEqual([
      '--switch',
      'ada',
    ]);
    expect(commandArgsOf(['electron', '.', '--no-sandbox', '--list', '--json'])).toEqual([
      '--list',
      '--json',
    ]);
    expect(commandArgsOf(['app.exe', '--status=x'])).toEqual(['--status=x']);
  });

  it('is null for a plain launch and for a link', () => {
    expect(commandArgsOf(['/opt/app/pieces-account-switcher'])).toBeNull();
    expect(commandArgsOf(['app', 'pieces-switcher://switch?email=a@b.example'])).toBeNull();
    expect(commandArgsOf(['app', '--listing'])).toBeNull();
  });
});
