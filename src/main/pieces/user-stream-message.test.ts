import { describe, expect, it } from 'vitest';
import { ID, fullWireUser } from '../../../test/support/wire-fixtures';
import { readUserStreamMessage } from './user-stream-message';

describe('readUserStreamMessage', () => {
  it('reads a profile as the domain user', () => {
    const message = readUserStreamMessage(JSON.stringify(fullWireUser()));
    expect(message).toMatchObject({
      kind: 'user',
      profile: { id: ID, displayName: 'Ada Lovelace' },
    });
  });

  it.each(['', '   ', 'logged out', '<html></html>', 'null'])(
    'reads %j as nobody signed in',
    (text) => {
      expect(readUserStreamMessage(text)).toEqual({ kind: 'nobody' });
    },
  );

  it('names the problem of JSON that is not a profile, without its values', () => {
    const message = readUserStreamMessage('{"id":"secret-looking-value","aesthetics":{}}');
    expect(message).toEqual({ kind: 'not-a-profile', problem: 'aesthetics.theme: missing' });
    expect(JSON.stringify(message)).not.toContain('secret-looking-value');
    expect(readUserStreamMessage('[1,2]')).toMatchObject({ kind: 'not-a-profile' });
    expect(readUserStreamMessage('"text"')).toMatchObject({ kind: 'not-a-profile' });
  });
});
