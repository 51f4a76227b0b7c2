// The token vault's rules one at a time, with real files in a temp folder and a keychain
// stand-in: what the load problems say (one or several), which files are left exactly as they
// are, what each storage mode does to entries it finds, what callers are told when a write or a
// keychain fails, and when the vault says it is writing.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { OAuthTokenInput } from '../../shared/domain';
import { PiecesError } from '../pieces/errors';
import type { Keychain } from './keychain';
import { openTokenVault, type StoredToken } from './token-vault';
import { switchableKeychain } from '../../../test/support/switchable-keychain';
import { useTempFolder } from '../../../test/support/temp-folder';

// electron-store (behind json-file.ts) imports electron at the top; there is no Electron binary here.
vi.mock('electron', () => ({ default: {} }));

const ALICE = '5f0e7d2c-1b1a-4c3e-9d1f-0a2b3c4d5e6f';
const BOB = '0c8a9b1e-2d3f-4a5b-8c7d-6e5f4a3b2c1d';

const token = (secret: string): OAuthTokenInput => ({
  access_token: `access-${secret}-${'x'.repeat(20)}`,
  token_type: 'Bearer',
  expires_in: 3600,
});

const temp = useTempFolder('vault-rules-', 'tokens.json');

const open = (safeStorage: Keychain, allowPlaintext = () => false) =>
  openTokenVault({ cwd: temp.dir, safeStorage, allowPlaintext });

const entries = (): Record<string, { encoding?: unknown }> =>
  (
    JSON.parse(fs.readFileSync(temp.file, 'utf8')) as {
      tokens: Record<string, { encoding?: unknown }>;
    }
  ).tokens;

/** A vault file as a person (or another version) left it: compact, with a key of its own. */
const writeByHand = (tokens: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
  const text = JSON.stringify({ version: 1, tokens, note: 'left by hand', ...extra });
  fs.writeFileSync(temp.file, text);
  return text;
};

/** Makes every write of tokens.json fail (a folder in its place); returns the repair. */
function breakWrites(): () => void {
  const kept = `${temp.file}.kept`;
  if (fs.existsSync(temp.file)) fs.renameSync(temp.file, kept);
  fs.mkdirSync(path.join(temp.file, 'in-the-way'), { recursive: true });
  return () => {
    fs.rmSync(temp.file, { recursive: true });
    if (fs.existsSync(kept)) fs.renameSync(kept, temp.file);
  };
}

describe('what the load problems say', () => {
  const lockedOnes = async (ids: string[]) => {
    const k = switchableKeychain();
    const vault = await open(k);
    for (const id of ids) await vault.set(id, token(id));
    k.available = false;
    return (await open(k)).loadProblems;
  };

  it('one encrypted sign-in that cannot be used now', async () => {
    expect(await lockedOnes([ALICE])).toContain(
      `A saved sign-in is encrypted, but this system's encryption is not available right now, so it cannot be used. It was left unchanged in ${temp.file}.`,
    );
  });

  it('several encrypted sign-ins that cannot be used now', async () => {
    expect(await lockedOnes([ALICE, BOB])).toContain(
      `2 saved sign-ins are encrypted, but this system's encryption is not available right now, so they cannot be used. They were left unchanged in ${temp.file}.`,
    );
  });

  it('one sign-in that cannot be read', async () => {
    writeByHand({ [ALICE]: { encoding: 'plain', token: { token_type: 'Bearer' } } });
    expect((await open(switchableKeychain())).loadProblems).toContain(
      `A saved sign-in could not be read, so you will need to sign in to that account again. It was left unchanged in ${temp.file}.`,
    );
  });

  it('several sign-ins that cannot be read, among them entries of an unknown encoding', async () => {
    const k = switchableKeychain();
    k.available = false;
    writeByHand({
      [ALICE]: { encoding: 'rot13', data: 'nyvpr' },
      [BOB]: { encoding: 'safeStorage', data: 42 },
    });
    const problems = (await open(k)).loadProblems;
    expect(problems).toContain(
      `2 saved sign-ins could not be read, so you will need to sign in to those accounts again. They were left unchanged in ${temp.file}.`,
    );
    // Neither is taken for an encrypted entry waiting for the keychain.
    expect(problems.join(' ')).not.toContain('encrypted, but');
  });
});

describe('files left exactly as they are', () => {
  it('without encryption or the opt-in, a file with plaintext tokens is neither rewritten nor emptied', async () => {
    const k = switchableKeychain();
    k.available = false;
    const text = writeByHand({ [ALICE]: { encoding: 'plain', token: token('alice') } });
    const vault = await open(k);
    expect(vault.get(ALICE)).toEqual(token('alice'));
    await vault.flush();
    expect(fs.readFileSync(temp.file, 'utf8')).toBe(text);
  });

  it('with the opt-in, a plaintext file is not rewritten at start or by flush', async () => {
    const k = switchableKeychain();
    k.available = false;
    const text = writeByHand({ [ALICE]: { encoding: 'plain', token: token('alice') } });
    const vault = await open(k, () => true);
    expect(vault.get(ALICE)).toEqual(token('alice'));
    await vault.flush();
    expect(fs.readFileSync(temp.file, 'utf8')).toBe(text);
  });

  it('a change that leaves the content as it was does not replace the file', async () => {
    const vault = await open(switchableKeychain());
    await vault.set(ALICE, token('alice'));
    const before = fs.statSync(temp.file).ino;
    expect(await vault.set(ALICE, token('alice'))).toBeNull();
    expect(fs.statSync(temp.file).ino).toBe(before);
  });

  it('a file whose version is a string is read as this version, not as a newer one', async () => {
    writeByHand({ [ALICE]: { encoding: 'plain', token: token('alice') } }, { version: '2' });
    const vault = await open(switchableKeychain());
    expect(vault.loadProblems.join(' ')).not.toContain('newer version');
    expect(vault.get(ALICE)).toEqual(token('alice'));
  });
});

describe('storage modes and the entries they find', () => {
  it('entries already encrypted are not encrypted again, at start or on a mode change', async () => {
    const k = switchableKeychain();
    await (await open(k)).set(ALICE, token('alice'));
    const count = k.encrypted;
    const again = await open(k);
    await again.applyStorageMode();
    await again.flush();
    expect(k.encrypted).toBe(count);
    // And they stay in the file through those starts.
    expect((await open(k)).get(ALICE)).toEqual(token('alice'));
    expect(entries()[ALICE]?.encoding).toBe('safeStorage');
  });

  it('opting in while encryption is away writes no plaintext copy of an encrypted entry', async () => {
    const k = switchableKeychain();
    const vault = await open(k, () => plaintext);
    let plaintext = false;
    await vault.set(ALICE, token('alice'));
    k.available = false;
    plaintext = true;
    await vault.applyStorageMode();
    expect(entries()[ALICE]?.encoding).toBe('safeStorage');
  });

  it('encryption going away without the opt-in leaves an encrypted entry on disk', async () => {
    const k = switchableKeychain();
    const vault = await open(k);
    await vault.set(ALICE, token('alice'));
    k.available = false;
    await vault.applyStorageMode();
    expect(entries()[ALICE]?.encoding).toBe('safeStorage');
  });

  it('with the opt-in, an entry the app cannot use stays in the file through a mode change', async () => {
    const k = switchableKeychain();
    k.available = false;
    const broken = { encoding: 'plain', token: { token_type: 'Bearer' } };
    writeByHand({ [ALICE]: { encoding: 'plain', token: token('alice') }, [BOB]: broken });
    const vault = await open(k, () => true);
    await vault.applyStorageMode();
    expect(entries()[BOB]).toEqual(broken);
  });

  it('an opt-out takes effect through applyStorageMode only, also after an earlier mode change', async () => {
    const k = switchableKeychain();
    k.available = false;
    let plaintext = true;
    const vault = await open(k, () => plaintext);
    await vault.set(ALICE, token('alice'));
    await vault.applyStorageMode();
    plaintext = false; // as when a damaged settings file was reset: not an opt-out by the person
    expect(await vault.set(BOB, token('bob'))).toBeNull();
    expect(Object.keys(entries())).toEqual([ALICE]);
    await vault.applyStorageMode();
    expect(fs.readFileSync(temp.file, 'utf8')).not.toContain('access-alice');
  });
});

describe('a keychain that fails', () => {
  it('one that cannot say whether it is there counts as not there', async () => {
    const k = switchableKeychain();
    k.refusesToSay = true;
    const vault = await open(k);
    expect(vault.persistent).toBe(false);
    expect(vault.loadProblems.join(' ')).toContain('offers no encryption');
  });

  it('then encrypted entries wait for it, and with the opt-in new tokens are kept in plaintext', async () => {
    const k = switchableKeychain();
    await (await open(k)).set(ALICE, token('alice'));
    k.refusesToSay = true;
    const vault = await open(k, () => true);
    expect(vault.has(ALICE)).toBe(false);
    expect(vault.loadProblems.join(' ')).toContain('A saved sign-in is encrypted, but');
    await vault.set(BOB, token('bob'));
    expect(entries()[BOB]?.encoding).toBe('plain');
    expect(entries()[ALICE]?.encoding).toBe('safeStorage');
  });

  it('one that fails without a reason still gets the caller words', async () => {
    const k = switchableKeychain();
    const vault = await open(k);
    k.locked = 'with-nothing';
    const error = await vault.set(ALICE, token('alice'));
    expect(error).toBeInstanceOf(PiecesError);
    expect(error?.kind).toBe('internal');
    expect(error?.message).toBe('The sign-in could not be saved.');
  });

  it('one locked at start: the plaintext it should encrypt waits, and the problem is said', async () => {
    const k = switchableKeychain();
    k.locked = 'with-error';
    writeByHand({ [ALICE]: { encoding: 'plain', token: token('alice') } });
    const vault = await open(k);
    expect(vault.loadProblems).toContain(
      'Saved sign-ins could not be encrypted yet; they will be on the next change.',
    );
    expect(vault.get(ALICE)).toEqual(token('alice'));
  });
});

describe('writing and unsaved', () => {
  it('says it is writing while a change waits, while its write runs, and after it failed', async () => {
    const k = switchableKeychain();
    const vault = await open(k);
    let started!: () => void;
    const waiting = new Promise<void>((resolve) => (started = resolve));
    let release!: () => void;
    k.hold = { started, release: new Promise<void>((resolve) => (release = resolve)) };
    const saved = vault.set(ALICE, token('alice'));
    expect(vault.writing).toBe(true);
    await waiting; // the write is running: the change is no longer waiting, the write is
    expect(vault.writing).toBe(true);
    k.hold = undefined;
    release();
    expect(await saved).toBeNull();
    expect(vault.writing).toBe(false);

    k.locked = 'with-error';
    expect(await vault.set(BOB, token('bob'))).toBeInstanceOf(PiecesError);
    expect(vault.writing).toBe(true); // the change waits for the next write
    k.locked = false;
    await vault.flush();
    expect(vault.writing).toBe(false);
    expect(Object.keys(entries()).sort()).toEqual([ALICE, BOB].sort());
  });

  it('flush alone writes a change whose write failed', async () => {
    const k = switchableKeychain();
    const vault = await open(k);
    k.locked = 'with-error';
    expect(await vault.set(ALICE, token('alice'))).toBeInstanceOf(PiecesError);
    k.locked = false;
    await vault.flush();
    expect(vault.unsavedIds()).toEqual([]);
    expect((await open(k)).get(ALICE)).toEqual(token('alice'));
  });

  it('a token kept in memory only, by a vault without a file, is not left counted as unsaved', async () => {
    const k = switchableKeychain();
    const vault = await open(k);
    k.locked = 'with-error';
    expect(await vault.set(ALICE, token('alice'))).toBeInstanceOf(PiecesError);
    expect(vault.unsavedIds()).toEqual([ALICE]);
    k.available = false; // now memory mode: keeping it in memory is all there is to do
    await vault.flush();
    expect(vault.unsavedIds()).toEqual([]);
    expect(fs.existsSync(temp.file)).toBe(false);
  });

  it('a removal whose write fails does not make the removed account unsaved', async () => {
    const vault = await open(switchableKeychain());
    await vault.set(ALICE, token('alice'));
    const repair = breakWrites();
    try {
      expect(await vault.delete(ALICE)).toBeInstanceOf(PiecesError);
      expect(vault.unsavedIds()).toEqual([]);
    } finally {
      repair();
    }
  });

  it('a mode change that cannot be written says the sign-in could not be saved', async () => {
    const k = switchableKeychain();
    k.available = false;
    let plaintext = false;
    const vault = await open(k, () => plaintext);
    await vault.set(ALICE, token('alice')); // in memory only
    const repair = breakWrites();
    plaintext = true;
    try {
      await expect(vault.applyStorageMode()).rejects.toThrow(
        /^The sign-in could not be saved \([A-Z]+\)\.$/,
      );
    } finally {
      repair();
    }
  });
});

describe('damaged and unreadable files', () => {
  it('a file whose tokens are not an object is damaged: copied aside and said', async () => {
    writeByHand({}, { tokens: 'nope' });
    const vault = await open(switchableKeychain());
    expect(vault.loadProblems.join(' ')).toContain(
      `The saved sign-ins in ${temp.file} could not be read, so you will need to sign in again. The damaged file was copied`,
    );
    expect(fs.existsSync(temp.file)).toBe(false);
    expect(fs.readdirSync(temp.dir).some((name) => name.startsWith('tokens.json.bak-'))).toBe(true);
  });

  for (const [why, error, said] of [
    ['the disk refuses', Object.assign(new Error('i/o error'), { code: 'EIO' }), 'EIO'],
    ['nobody says why', new Error('no code'), 'unknown error'],
  ] as const) {
    it(`a damaged file that cannot be copied aside (${why}) is left as it is, and nothing is written`, async () => {
      fs.writeFileSync(temp.file, '{"version":1,"tokens":');
      const write = fs.writeFileSync;
      vi.spyOn(fs, 'writeFileSync').mockImplementation((target, ...rest) => {
        if (String(target).includes('.bak-')) throw error;
        return write(target, ...rest);
      });
      const vault = await open(switchableKeychain());
      expect(vault.loadProblems).toContain(
        `The saved sign-ins in ${temp.file} could not be read, so you will need to sign in again. A copy of it could not be made (${said}), so it is left as it is and new sign-ins are kept only until the app quits.`,
      );
      expect(vault.persistent).toBe(false);
      expect(await vault.set(ALICE, token('alice'))).toBeNull();
      await vault.flush();
      expect(fs.readFileSync(temp.file, 'utf8')).toBe('{"version":1,"tokens":');
    });
  }

  it('a path that cannot be read keeps tokens for the session only, and says so', async () => {
    fs.mkdirSync(temp.file);
    const vault = await open(switchableKeychain());
    expect(vault.persistent).toBe(false);
    expect(vault.loadProblems.join(' ')).toContain('cannot be read');
    expect(await vault.set(ALICE, token('alice'))).toBeNull();
    expect(vault.get(ALICE)).toEqual(token('alice'));
    expect(fs.statSync(temp.file).isDirectory()).toBe(true);
  });
});

describe('refused input', () => {
  const refusal = (act: () => unknown): PiecesError => {
    try {
      act();
    } catch (err) {
      return err as PiecesError;
    }
    throw new Error('not refused');
  };

  it('an account id that is not one', async () => {
    const vault = await open(switchableKeychain());
    const err = refusal(() => vault.set('', token('alice')));
    expect(err).toBeInstanceOf(PiecesError);
    expect(err.kind).toBe('invalid-input');
    expect(err.message).toBe('The account id is not valid.');
    expect(err.path).toBe('userId');
  });

  it('a token that is not an object, and a token field that is not valid, by name', async () => {
    const vault = await open(switchableKeychain());
    const whole = refusal(() => vault.set(ALICE, null as unknown as StoredToken));
    expect(whole.message).toBe('The token\'s "token" field is missing or not valid.');
    expect(whole.path).toBe('token');
    const field = refusal(() => vault.set(ALICE, { ...token('alice'), access_token: '' }));
    expect(field.kind).toBe('invalid-input');
    expect(field.message).toBe('The token\'s "access_token" field is missing or not valid.');
    expect(field.path).toBe('access_token');
    expect(vault.has(ALICE)).toBe(false);
  });
});
