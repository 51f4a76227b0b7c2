import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OAuthTokenInput } from '../../shared/domain';
import { PiecesError } from '../pieces/errors';
import { openSettings } from './settings';
import { openTokenVault, type SafeStorageLike } from './token-vault';

// electron-store imports electron at the top; there is no Electron binary here.
vi.mock('electron', () => ({ default: {} }));

const ALICE = '5f0e7d2c-1b1a-4c3e-9d1f-0a2b3c4d5e6f';
const BOB = '0c8a9b1e-2d3f-4a5b-8c7d-6e5f4a3b2c1d';
const CAROL = 'github|12345';

const token = (secret: string): OAuthTokenInput => ({
  access_token: `access-${secret}-${'x'.repeat(20)}`,
  token_type: 'Bearer',
  expires_in: 3600,
  refresh_token: `refresh-${secret}-${'y'.repeat(20)}`,
});

/** A safeStorage stand-in that really changes the bytes, and refuses what it did not produce. */
function fakeSafeStorage(available = true): SafeStorageLike & { available: boolean } {
  const marker = Buffer.from('FAKE-ENC:');
  const xor = (b: Buffer): Buffer => Buffer.from(b.map((byte) => byte ^ 0x5a));
  return {
    available,
    isEncryptionAvailable() {
      return this.available;
    },
    encryptString(plain) {
      if (!this.available) throw new Error('Encryption is not available.');
      return Buffer.concat([marker, xor(Buffer.from(plain, 'utf8'))]);
    },
    decryptString(encrypted) {
      if (!encrypted.subarray(0, marker.length).equals(marker)) throw new Error('bad ciphertext');
      return xor(encrypted.subarray(marker.length)).toString('utf8');
    },
  };
}

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vault-test-'));
  file = path.join(dir, 'tokens.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Every file under `dir` whose bytes contain `needle`. */
function filesContaining(needle: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const p = path.join(entry.parentPath, entry.name);
    if (fs.readFileSync(p).includes(needle)) found.push(p);
  }
  return found;
}

const readTokensFile = (): { version: number; tokens: Record<string, Record<string, unknown>> } =>
  JSON.parse(fs.readFileSync(file, 'utf8'));

describe('token vault with encryption', () => {
  const open = (safeStorage: SafeStorageLike = fakeSafeStorage()) =>
    openTokenVault({ cwd: dir, safeStorage, allowPlaintext: () => false });

  it('round-trips tokens across a reopen without the secrets in the file', () => {
    const vault = open();
    vault.set(ALICE, token('alice'));
    vault.set(CAROL, { ...token('carol'), scope: 'openid', id_token: 'id-carol-zzzzzzzzzzzz' });
    expect(vault.persistent).toBe(true);
    expect(vault.loadProblems).toEqual([]);

    const again = open();
    expect(again.loadProblems).toEqual([]);
    expect(again.ids().sort()).toEqual([ALICE, CAROL].sort());
    expect(again.get(ALICE)).toEqual(token('alice'));
    expect(again.get(CAROL)?.id_token).toBe('id-carol-zzzzzzzzzzzz');
    expect(again.has(BOB)).toBe(false);

    for (const secret of ['access-alice', 'refresh-alice', 'access-carol', 'id-carol']) {
      expect(filesContaining(secret)).toEqual([]);
    }
    expect(readTokensFile().tokens[ALICE]?.encoding).toBe('safeStorage');
  });

  it.skipIf(process.platform === 'win32')('keeps the token file readable by its owner only', () => {
    open().set(ALICE, token('alice'));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps when a browser sign-in token was obtained and who issued it, encrypted with it', () => {
    const stored = {
      ...token('alice'),
      obtained_at: 1_700_000_000_000,
      issuer: 'https://idp.example',
    };
    open().set(ALICE, stored);
    expect(open().get(ALICE)).toEqual(stored);
    expect(filesContaining('idp.example')).toEqual([]);
    // An entry from before these fields reads as it always did.
    open().set(BOB, token('bob'));
    expect(open().get(BOB)).toEqual(token('bob'));
  });

  it('forgets a deleted token across a reopen', () => {
    const vault = open();
    vault.set(ALICE, token('alice'));
    vault.set(BOB, token('bob'));
    vault.delete(ALICE);
    expect(vault.has(ALICE)).toBe(false);
    expect(open().ids()).toEqual([BOB]);
  });

  it('hands out copies, so a caller cannot change a stored token', () => {
    const vault = open();
    vault.set(ALICE, token('alice'));
    vault.get(ALICE)!.access_token = 'changed';
    expect(vault.get(ALICE)).toEqual(token('alice'));
  });

  it('skips an entry it cannot decrypt, reports it, and keeps it on disk through later writes', () => {
    const vault = open();
    vault.set(ALICE, token('alice'));
    vault.set(BOB, token('bob'));
    const damaged = { encoding: 'safeStorage', data: Buffer.from('not ours').toString('base64') };
    const onDisk = readTokensFile();
    onDisk.tokens[BOB] = damaged;
    fs.writeFileSync(file, JSON.stringify(onDisk));

    const again = open();
    expect(again.ids()).toEqual([ALICE]);
    expect(again.has(BOB)).toBe(false);
    expect(again.loadProblems).toHaveLength(1);
    expect(again.loadProblems[0]).toContain('could not be read');
    expect(again.loadProblems[0]).toContain(file);
    expect(readTokensFile().tokens[BOB]).toEqual(damaged);

    again.set(CAROL, token('carol'));
    again.delete(ALICE);
    expect(readTokensFile().tokens[BOB]).toEqual(damaged);
    expect(Object.keys(readTokensFile().tokens).sort()).toEqual([BOB, CAROL].sort());
  });

  it('skips an entry whose decrypted text is not a token', () => {
    const safeStorage = fakeSafeStorage();
    const notAToken = safeStorage.encryptString('{"access_token": 5}').toString('base64');
    fs.writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        tokens: { [ALICE]: { encoding: 'safeStorage', data: notAToken } },
      }),
    );
    const vault = open(safeStorage);
    expect(vault.has(ALICE)).toBe(false);
    expect(vault.loadProblems).toHaveLength(1);
  });

  it('survives a token file that is not JSON, keeping a byte-exact copy', () => {
    const original = Buffer.from('{"version":1,"tokens":{');
    fs.writeFileSync(file, original);
    const vault = open();
    expect(vault.ids()).toEqual([]);
    expect(vault.loadProblems).toHaveLength(1);
    const backups = fs.readdirSync(dir).filter((f) => f.startsWith('tokens.json.bak-'));
    expect(backups).toHaveLength(1);
    expect(vault.loadProblems[0]).toContain(path.join(dir, backups[0]!));
    expect(fs.readFileSync(path.join(dir, backups[0]!)).equals(original)).toBe(true);

    vault.set(ALICE, token('alice'));
    expect(open().get(ALICE)).toEqual(token('alice'));
  });

  it('ignores prototype keys in the token file', () => {
    fs.writeFileSync(
      file,
      '{"version":1,"tokens":{"__proto__":{"polluted":"yes"},"constructor":{"encoding":"plain"}}}',
    );
    const vault = open();
    expect(vault.ids()).toEqual([]);
    // Dropped on reading, not even counted as unreadable entries.
    expect(vault.loadProblems).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a malformed token or account id without echoing the token', () => {
    const vault = open();
    const bad = { ...token('alice'), token_type: 'Basic' } as unknown as OAuthTokenInput;
    for (const [id, t] of [
      [ALICE, bad],
      ['__proto__', token('alice')],
      ['../escape', token('alice')],
    ] as const) {
      let error: unknown;
      try {
        vault.set(id, t);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(PiecesError);
      expect((error as PiecesError).kind).toBe('invalid-input');
      expect((error as PiecesError).message).not.toContain('access-alice');
    }
    expect(vault.ids()).toEqual([]);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('changes nothing when encryption fails, and keeps the token out of the error', () => {
    const safeStorage = fakeSafeStorage();
    const vault = open(safeStorage);
    vault.set(ALICE, token('alice'));
    const before = fs.readFileSync(file);
    safeStorage.encryptString = (plain) => {
      throw new Error(`cannot encrypt ${plain}`);
    };
    let error: unknown;
    try {
      vault.set(BOB, token('bob'));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PiecesError);
    expect((error as PiecesError).message).not.toContain('access-bob');
    expect(vault.has(BOB)).toBe(false);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('keeps a renewed token for the session when the file cannot be written, and saves it later', () => {
    const vault = open();
    vault.set(ALICE, token('alice-old'));
    const repair = breakWrites();

    const error = vault.setRenewed(ALICE, token('alice-new'));
    expect(error).toBeInstanceOf(PiecesError);
    expect(error?.message).toMatch(/^The sign-in could not be saved \([A-Z]+\)\.$/);
    expect(vault.get(ALICE)).toEqual(token('alice-new'));
    // Other writes stay all-or-nothing: a failed set() changes nothing, and does not undo the
    // renewed token either.
    expect(() => vault.set(BOB, token('bob'))).toThrow(PiecesError);
    expect(vault.has(BOB)).toBe(false);
    expect(vault.get(ALICE)).toEqual(token('alice-new'));

    repair();
    expect(open().get(ALICE)).toEqual(token('alice-old')); // not written yet
    vault.set(BOB, token('bob'));
    const again = open();
    expect(again.get(ALICE)).toEqual(token('alice-new'));
    expect(again.get(BOB)).toEqual(token('bob'));
  });

  it('a renewed token that could not be encrypted is the one a later write saves', () => {
    const real = fakeSafeStorage();
    let locked = false;
    const keychain: SafeStorageLike = {
      isEncryptionAvailable: () => true,
      encryptString: (plain) => {
        if (locked) throw new Error('The keychain is locked.');
        return real.encryptString(plain);
      },
      decryptString: (data) => real.decryptString(data),
    };
    const vault = open(keychain);
    vault.set(ALICE, token('alice-old'));
    locked = true;
    expect(vault.setRenewed(ALICE, token('alice-new'))).toBeInstanceOf(PiecesError);
    expect(vault.get(ALICE)).toEqual(token('alice-new'));
    expect(vault.unsavedIds()).toEqual([ALICE]);
    locked = false;
    vault.set(BOB, token('bob')); // the next write
    expect(vault.unsavedIds()).toEqual([]);
    const again = open(keychain);
    expect(again.get(ALICE)).toEqual(token('alice-new'));
    expect(again.get(BOB)).toEqual(token('bob'));
  });

  it('saves a renewed token like any other when the file can be written', () => {
    const vault = open();
    vault.set(ALICE, token('alice-old'));
    expect(vault.setRenewed(ALICE, token('alice-new'))).toBeNull();
    expect(open().get(ALICE)).toEqual(token('alice-new'));
    expect(() => vault.setRenewed(ALICE, { ...token('x'), access_token: '' })).toThrow(PiecesError);
    expect(vault.get(ALICE)).toEqual(token('alice-new'));
  });

  it('encrypts plaintext entries left from a time without encryption', () => {
    const plain = openTokenVault({
      cwd: dir,
      safeStorage: fakeSafeStorage(false),
      allowPlaintext: () => true,
    });
    plain.set(ALICE, token('alice'));
    expect(filesContaining('access-alice')).toEqual([file]);

    const encrypted = open();
    expect(encrypted.get(ALICE)).toEqual(token('alice'));
    expect(readTokensFile().tokens[ALICE]?.encoding).toBe('safeStorage');
    expect(filesContaining('access-alice')).toEqual([]);
  });
});

/**
 * Makes every write of tokens.json fail for real (the tests may run as root, so a read-only
 * directory would not stop them): a non-empty directory in the file's place. Returns the undo.
 */
function breakWrites(): () => void {
  const kept = `${file}.kept`;
  if (fs.existsSync(file)) fs.renameSync(file, kept);
  fs.mkdirSync(path.join(file, 'in-the-way'), { recursive: true });
  return () => {
    fs.rmSync(file, { recursive: true });
    if (fs.existsSync(kept)) fs.renameSync(kept, file);
  };
}

describe('token vault without encryption', () => {
  it('a storage-mode change that cannot be written changes nothing and leaves nothing pending', () => {
    let plaintext = false;
    const vault = openTokenVault({
      cwd: dir,
      safeStorage: fakeSafeStorage(false),
      allowPlaintext: () => plaintext,
    });
    vault.set(ALICE, token('alice')); // in memory only
    const repair = breakWrites();
    plaintext = true;
    expect(() => vault.applyStorageMode()).toThrow(PiecesError);
    plaintext = false; // the settings put the opt-in back when the change fails
    repair();
    vault.set(BOB, token('bob'));
    // Nothing of the failed change is written by a later one: no token in plaintext on disk.
    expect(filesContaining('access-alice')).toEqual([]);
    expect(filesContaining('access-bob')).toEqual([]);
    expect(vault.get(ALICE)).toEqual(token('alice'));
  });

  it('keeps tokens in memory only, writes nothing, and says so once', () => {
    const vault = openTokenVault({
      cwd: dir,
      safeStorage: fakeSafeStorage(false),
      allowPlaintext: () => false,
    });
    vault.set(ALICE, token('alice'));
    vault.set(BOB, token('bob'));
    vault.delete(BOB);

    expect(vault.get(ALICE)).toEqual(token('alice'));
    expect(vault.persistent).toBe(false);
    expect(vault.loadProblems).toHaveLength(1);
    expect(vault.loadProblems[0]).toMatch(/until the app quits/);
    expect(vault.loadProblems[0]).toMatch(/plaintext/i);
    expect(filesContaining('access-alice')).toEqual([]);
    expect(fs.readdirSync(dir)).toEqual([]);

    const again = openTokenVault({
      cwd: dir,
      safeStorage: fakeSafeStorage(false),
      allowPlaintext: () => false,
    });
    expect(again.ids()).toEqual([]);
  });

  it('persists plaintext, clearly marked, once the person opts in', () => {
    const open = () =>
      openTokenVault({ cwd: dir, safeStorage: fakeSafeStorage(false), allowPlaintext: () => true });
    const vault = open();
    expect(vault.persistent).toBe(true);
    expect(vault.loadProblems).toEqual([]);
    vault.set(ALICE, token('alice'));

    expect(readTokensFile().tokens[ALICE]).toEqual({ encoding: 'plain', token: token('alice') });
    expect(open().get(ALICE)).toEqual(token('alice'));
  });

  it('moves tokens onto and off the disk when the opt-in changes', () => {
    let optIn = false;
    const vault = openTokenVault({
      cwd: dir,
      safeStorage: fakeSafeStorage(false),
      allowPlaintext: () => optIn,
    });
    vault.set(ALICE, token('alice'));
    expect(fs.existsSync(file)).toBe(false);

    optIn = true;
    expect(vault.persistent).toBe(true);
    vault.applyStorageMode();
    expect(filesContaining('access-alice')).toEqual([file]);

    optIn = false;
    vault.applyStorageMode();
    expect(filesContaining('access-alice')).toEqual([]);
    // Still usable for the rest of this session.
    expect(vault.get(ALICE)).toEqual(token('alice'));
  });

  it('leaves encrypted tokens alone while encryption is unavailable, and reports them', () => {
    const withEncryption = openTokenVault({
      cwd: dir,
      safeStorage: fakeSafeStorage(true),
      allowPlaintext: () => false,
    });
    withEncryption.set(ALICE, token('alice'));
    const saved = readTokensFile().tokens[ALICE];

    const without = openTokenVault({
      cwd: dir,
      safeStorage: fakeSafeStorage(false),
      allowPlaintext: () => true,
    });
    expect(without.has(ALICE)).toBe(false);
    expect(without.loadProblems).toHaveLength(1);
    expect(without.loadProblems[0]).toContain('encryption is not available');
    without.set(BOB, token('bob'));
    expect(readTokensFile().tokens[ALICE]).toEqual(saved);

    // And they come back once encryption does.
    const later = openTokenVault({
      cwd: dir,
      safeStorage: fakeSafeStorage(true),
      allowPlaintext: () => false,
    });
    expect(later.get(ALICE)).toEqual(token('alice'));
    expect(later.get(BOB)).toEqual(token('bob'));
  });
});

describe('settings and tokens together', () => {
  it('never puts a token into the settings file', () => {
    const settings = openSettings({ cwd: dir });
    for (const allowPlaintext of [false, true]) {
      const vault = openTokenVault({
        cwd: dir,
        safeStorage: fakeSafeStorage(!allowPlaintext),
        allowPlaintext: () => allowPlaintext,
      });
      vault.set(ALICE, token('alice'));
      settings.update({ lastActiveId: ALICE, allowPlaintextTokens: allowPlaintext });
    }
    const settingsFile = fs.readFileSync(settings.path, 'utf8');
    expect(settingsFile).toContain(ALICE);
    expect(settingsFile).not.toContain('access-alice');
    expect(settingsFile).not.toContain('refresh-alice');
    expect(filesContaining('access-alice')).toEqual([file]);
  });
});
