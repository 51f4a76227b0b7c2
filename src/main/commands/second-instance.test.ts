// With exactly the arguments Electron passes to 'second-instance': argv, workingDirectory,
// additionalData (whatever the second instance gave requestSingleInstanceLock, or {} / undefined).
import { describe, expect, it } from 'vitest';
import { COMMAND_LINE_MARK, secondInstanceAction } from './second-instance';

const exe = '/opt/Pieces Account Switcher/pieces-account-switcher';

describe('secondInstanceAction', () => {
  it('a plain second launch shows the window', () => {
    expect(secondInstanceAction([exe], '/home/ada', {})).toEqual({ kind: 'show' });
    expect(secondInstanceAction([exe, '--no-sandbox'], '/', undefined)).toEqual({ kind: 'show' });
  });

  it('a link among the arguments is followed (Windows, Linux)', () => {
    const url = 'pieces-switcher://switch?email=ada%40example.com';
    expect(secondInstanceAction([exe, '--', url], 'C:\\Users\\ada', {})).toEqual({
      kind: 'link',
      url,
    });
    expect(secondInstanceAction([exe, 'PIECES-SWITCHER://open'], '/', {})).toEqual({
      kind: 'link',
      url: 'PIECES-SWITCHER://open',
    });
  });

  it('a command-line call opens nothing: it is answered over the command channel', () => {
    expect(secondInstanceAction([exe, '--list'], '/home/ada', { ...COMMAND_LINE_MARK })).toEqual({
      kind: 'none',
    });
    // Also when Chromium dropped the additional data, and when it came with a link in argv.
    expect(secondInstanceAction([exe, '--switch', 'ada'], '/home/ada', {})).toEqual({
      kind: 'none',
    });
    expect(
      secondInstanceAction([exe, 'pieces-switcher://open'], '/', { piecesSwitcherCommandLine: 1 }),
    ).toEqual({ kind: 'none' });
  });

  it('additional data that is not the mark changes nothing', () => {
    for (const data of [null, 'x', 1, [], { piecesSwitcherCommandLine: '1' }]) {
      expect(secondInstanceAction([exe], '/', data)).toEqual({ kind: 'show' });
    }
  });
});
