import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { OAuthTokenInput } from '../../shared/domain';
import { PiecesError } from '../pieces/errors';
import { openSettings } from './settings';
import type { Keychain } from './keychain';
import { openTokenVault } from './token-vault';
import { switchableKeychain } from '../../../test/support/switchable-keychain';
import { useTempFolder } from '../../../test/support/temp-folder';

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

const temp = useTempFolder('vault-test-', 'tokens.json');

/** Every file under `dir` whose bytes contain `needle`. */
function filesContaining(needle: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(temp.dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const p = path.join(entry.parentPath, entry.name);
    if (fs.readFileSync(p).includes(needle)) found.push(p);
  }
  return found;
}

const readTokensFile = (): { version: number; tokens: Record<string, Record<string, unknown>> } =>
  JSON.parse(fs.readFileSync(temp.file, 'utf8'));

describe('token vault with encryption', () => {
  const open = (safeStorage: Keychain = switchableKeychain()) =>
    openTokenVault({ cwd: temp.dir, safeStorage, allowPlaintext: () => false });

  it('round-trips tokens across a reopen without the secrets in the file', async () => {
    const vault = await open();
    expect(await vault.set(ALICE, token('alice'))).toBeNull();
    await vault.set(CAROL, {
      ...token('carol'),
      scope: 'openid',
      id_token: 'id-carol-zzzzzzzzzzzz',
    });
    expect(vault.persistent).toBe(true);
    expect(vault.loadProblems).toEqual([]);

    const again = await open();
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

  it.skipIf(process.platform === 'win32')(
    'keeps the token file readable by its owner only',
    async () => {
      await (await open()).set(ALICE, token('alice'));
      expect(fs.statSync(temp.file).mode & 0o777).toBe(0o600);
    },
  );

  it('keeps when a browser sign-in token was obtained and who issued it, encrypted with it', async () => {
    const stored = {
      ...token('alice'),
      obtained_at: 1_700_000_000_000,
      issuer: 'https://idp.example',
    };
    await (await open()).set(ALICE, stored);
    expect((await open()).get(ALICE)).toEqual(stored);
    expect(filesContaining('idp.example')).toEqual([]);
    // An entry from before these fields reads as it always did.
    await (await open()).set(BOB, token('bob'));
    expect((await open()).get(BOB)).toEqual(token('bob'));
  });

  it('forgets a deleted token across a reopen', async () => {
    const vault = await open();
    await vault.set(ALICE, token('alice'));
    await vault.set(BOB, token('bob'));
    expect(await vault.delete(ALICE)).toBeNull();
    expect(vault.has(ALICE)).toBe(false);
    expect((await open()).ids()).toEqual([BOB]);
  });

  it('hands out copies, so a caller cannot change a stored token', async () => {
    const vault = await open();
    await vault.set(ALICE, token('alice'));
    vault.get(ALICE)!.access_token = 'changed';
    expect(vault.get(ALICE)).toEqual(token('alice'));
  });

  it('skips an entry it cannot decrypt, reports it, and keeps it on disk through later writes', async () => {
    const vault = await open();
    await vault.set(ALICE, token('alice'));
    await vault.set(BOB, token('bob'));
    const damaged = { encoding: 'safeStorage', data: Buffer.from('not ours').toString('base64') };
    const onDisk = readTokensFile();
    onDisk.tokens[BOB] = damaged;
    fs.writeFileSync(temp.file, JSON.stringify(onDisk));

    const again = await open();
    expect(again.ids()).toEqual([ALICE]);
    expect(again.has(BOB)).toBe(false);
    expect(again.loadProblems).toHaveLength(1);
    expect(again.loadProblems[0]).toContain('could not be read');
    expect(again.loadProblems[0]).toContain(temp.file);
    expect(readTokensFile().tokens[BOB]).toEqual(damaged);

    await again.set(CAROL, token('carol'));
    await again.delete(ALICE);
    expect(readTokensFile().tokens[BOB]).toEqual(damaged);
    expect(Object.keys(readTokensFile().tokens).sort()).toEqual([BOB, CAROL].sort());
  });

  it('skips an entry whose decrypted text is not a token', async () => {
    const safeStorage = switchableKeychain();
    const notAToken = (await safeStorage.encrypt('{"access_token": 5}')).toString('base64');
    fs.writeFileSync(
      temp.file,
      JSON.stringify({
        version: 1,
        tokens: { [ALICE]: { encoding: 'safeStorage', data: notAToken } },
      }),
    );
    const vault = await open(safeStorage);
    expect(vault.has(ALICE)).toBe(false);
    expect(vault.loadProblems).toHaveLength(1);
  });

  it('survives a token file that is not JSON, keeping a byte-exact copy', async () => {
    const original = Buffer.from('{"version":1,"tokens":{');
    fs.writeFileSync(temp.file, original);
    const vault = await open();
    expect(vault.ids()).toEqual([]);
    expect(vault.loadProblems).toHaveLength(1);
    const backups = fs.readdirSync(temp.dir).filter((f) => f.startsWith('tokens.json.bak-'));
    expect(backups).toHaveLength(1);
    expect(vault.loadProblems[0]).toContain(path.join(temp.dir, backups[0]!));
    expect(fs.readFileSync(path.join(temp.dir, backups[0]!)).equals(original)).toBe(true);

    await vault.set(ALICE, token('alice'));
    expect((await open()).get(ALICE)).toEqual(token('alice'));
  });

  it('reads prototype-named ids as plain ids, polluting nothing, and drops such keys inside entries', async () => {
    const plain = { encoding: 'plain', token: token('proto') };
    fs.writeFileSync(
      temp.file,
      JSON.stringify({
        version: 1,
        tokens: { constructor: { ...plain, __proto__: { polluted: 'yes' } } },
      }).replace('"tokens":{', `"tokens":{"__proto__":${JSON.stringify(plain)},`),
    );
    const vault = await open();
    expect(vault.ids().sort()).toEqual(['__proto__', 'constructor']);
    expect(vault.get('__proto__')).toEqual(token('proto'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(vault.loadProblems).toEqual([]);
    // Encrypted now (the keychain is available), and still under the same ids.
    expect(Object.keys(readTokensFile().tokens).sort()).toEqual(['__proto__', 'constructor']);
    expect(filesContaining('access-proto')).toEqual([]);
  });

  it('stores any id the Pieces OS decoder accepts: slashes, spaces, unicode, "../", "__proto__"', async () => {
    const ids = [
      'ops/ada lovelace',
      'ünïcødé 名前 ✓',
      '../escape',
      '__proto__',
      'prototype',
      'a'.repeat(256),
    ];
    const vault = await open();
    await Promise.all(ids.map((id, i) => vault.set(id, token(`odd-${i}`))));
    const again = await open();
    expect(again.ids().sort()).toEqual([...ids].sort());
    ids.forEach((id, i) => expect(again.get(id)).toEqual(token(`odd-${i}`)));
    // The ids are keys in the one file, never paths: nothing else appeared in the folder.
    expect(fs.readdirSync(temp.dir)).toEqual(['tokens.json']);
  });

  it('refuses a malformed token or account id without echoing the token', async () => {
    const vault = await open();
    const bad = { ...token('alice'), token_type: 'Basic' } as unknown as OAuthTokenInput;
    for (const [id, t] of [
      [ALICE, bad],
      ['', token('alice')],
      ['..', token('alice')],
      ['line\nbreak', token('alice')],
      ['x'.repeat(257), token('alice')],
    ] as const) {
      let error: unknown;
      try {
        await vault.set(id, t);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(PiecesError);
      expect((error as PiecesError).kind).toBe('invalid-input');
      expect((error as PiecesError).message).not.toContain('access-alice');
    }
    expect(vault.ids()).toEqual([]);
    expect(fs.existsSync(temp.file)).toBe(false);
  });

  it('keeps the token when encryption fails, says so without the token, and saves it with the next write', async () => {
    const safeStorage = switchableKeychain();
    const vault = await open(safeStorage);
    await vault.set(ALICE, token('alice'));
    const before = fs.readFileSync(temp.file);
    safeStorage.locked = true;
    const error = await vault.set(BOB, token('bob'));
    expect(error).toBeInstanceOf(PiecesError);
    expect(error?.message).toBe('The sign-in could not be saved.');
    expect(error?.message).not.toContain('access-bob');
    expect(vault.get(BOB)).toEqual(token('bob'));
    expect(vault.unsavedIds()).toEqual([BOB]);
    expect(fs.readFileSync(temp.file).equals(before)).toBe(true);

    safeStorage.locked = false;
    await vault.set(CAROL, token('carol')); // the next write
    expect(vault.unsavedIds()).toEqual([]);
    const again = await open(safeStorage);
    expect(again.get(BOB)).toEqual(token('bob'));
    expect(again.get(CAROL)).toEqual(token('carol'));
  });

  it('keeps a renewed token for the session when the file cannot be written, and saves it later', async () => {
    const vault = await open();
    await vault.set(ALICE, token('alice-old'));
    const repair = breakWrites();

    const error = await vault.set(ALICE, token('alice-new'));
    expect(error).toBeInstanceOf(PiecesError);
    expect(error?.message).toMatch(/^The sign-in could not be saved \([A-Z]+\)\.$/);
    expect(vault.get(ALICE)).toEqual(token('alice-new'));
    expect(vault.unsavedIds()).toEqual([ALICE]);
    // A removal that cannot be written says so too; memory has forgotten it already.
    expect((await vault.delete(BOB))?.message).toMatch(/^The sign-in could not be removed/);

    repair();
    expect((await open()).get(ALICE)).toEqual(token('alice-old')); // not written yet
    expect(await vault.set(BOB, token('bob'))).toBeNull();
    const again = await open();
    expect(again.get(ALICE)).toEqual(token('alice-new'));
    expect(again.get(BOB)).toEqual(token('bob'));
    expect(vault.unsavedIds()).toEqual([]);
  });

  it('encrypts plaintext entries left from a time without encryption', async () => {
    const plain = await openTokenVault({
      cwd: temp.dir,
      safeStorage: switchableKeychain(false),
      allowPlaintext: () => true,
    });
    await plain.set(ALICE, token('alice'));
    expect(filesContaining('access-alice')).toEqual([temp.file]);

    const encrypted = await open();
    expect(encrypted.get(ALICE)).toEqual(token('alice'));
    expect(readTokensFile().tokens[ALICE]?.encoding).toBe('safeStorage');
    expect(filesContaining('access-alice')).toEqual([]);
  });

  it('encrypts again what the keychain says is stale (a rotated key)', async () => {
    const keychain = switchableKeychain();
    await (await open(keychain)).set(ALICE, token('alice'));
    const before = readTokensFile().tokens[ALICE];
    let asked = 0;
    const rotated: Keychain = {
      ...keychain,
      encrypt: async (plain) => Buffer.concat([Buffer.from('R'), await keychain.encrypt(plain)]),
      decrypt: async (data) => {
        asked++;
        const stale = data[0] !== 'R'.charCodeAt(0);
        return { text: (await keychain.decrypt(stale ? data : data.subarray(1))).text, stale };
      },
    };
    const vault = await open(rotated);
    expect(vault.get(ALICE)).toEqual(token('alice'));
    expect(asked).toBe(1);
    expect(readTokensFile().tokens[ALICE]).not.toEqual(before);
    expect((await open(rotated)).get(ALICE)).toEqual(token('alice'));
  });
});

/**
 * Makes every write of tokens.json fail for real (the tests may run as root, so a read-only
 * directory would not stop them): a non-empty directory in the file's place. Returns the undo.
 */
function breakWrites(): () => void {
  const kept = `${temp.file}.kept`;
  if (fs.existsSync(temp.file)) fs.renameSync(temp.file, kept);
  fs.mkdirSync(path.join(temp.file, 'in-the-way'), { recursive: true });
  return () => {
    fs.rmSync(temp.file, { recursive: true });
    if (fs.existsSync(kept)) fs.renameSync(kept, temp.file);
  };
}

/**
 * Counts the times tokens.json is replaced (each atomic write renames a temp file onto it), as
 * the file system reports them. count() first makes a marker file and waits for its event: the
 * events come in order, so every write before it has been counted by then.
 */
function watchWrites(folder: string) {
  let writes = 0;
  let markers = 0;
  const seen = new Map<string, () => void>();
  const watcher = fs.watch(folder, (_event, name) => {
    if (name === 'tokens.json') writes++;
    else if (name && seen.has(name)) seen.get(name)!();
  });
  return {
    async count(): Promise<number> {
      const name = `marker-${++markers}`;
      const arrived = new Promise<void>((resolve) => seen.set(name, resolve));
      fs.writeFileSync(path.join(folder, name), '');
      await arrived;
      fs.rmSync(path.join(folder, name));
      return writes;
    },
    close: () => watcher.close(),
  };
}

describe('token vault writes', () => {
  const open = (safeStorage: Keychain = switchableKeychain()) =>
    openTokenVault({ cwd: temp.dir, safeStorage, allowPlaintext: () => false });

  it('makes the changes of one turn one atomic write, and a change per turn one write each', async () => {
    const vault = await open();
    const watch = watchWrites(temp.dir);
    try {
      // Five changes in one turn: none is written yet, then all of them in one write.
      const changes = [
        vault.set(ALICE, token('alice')),
        vault.set(BOB, token('bob')),
        vault.set(CAROL, token('carol')),
        vault.set(ALICE, token('alice-2')),
        vault.delete(BOB),
      ];
      expect(fs.existsSync(temp.file)).toBe(false);
      expect(vault.writing).toBe(true);
      expect(await Promise.all(changes)).toEqual([null, null, null, null, null]);
      expect(vault.writing).toBe(false);
      expect(await watch.count()).toBe(1);
      expect(Object.keys(readTokensFile().tokens).sort()).toEqual([ALICE, CAROL].sort());

      // The same changes awaited one by one: one write each (the counter can count).
      await vault.set(BOB, token('bob'));
      await vault.set(ALICE, token('alice-3'));
      await vault.delete(BOB);
      expect(await watch.count()).toBe(4);
      expect((await open()).get(ALICE)).toEqual(token('alice-3'));
    } finally {
      watch.close();
    }
  });

  it('takes changes made while a write runs into the next write, losing none', async () => {
    const keychain = switchableKeychain();
    let hold = false;
    let entered!: () => void;
    const encrypting = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const slow: Keychain = {
      ...keychain,
      encrypt: async (plain) => {
        if (hold) {
          entered();
          await released;
        }
        return keychain.encrypt(plain);
      },
    };
    const vault = await open(slow);
    hold = true;
    const first = vault.set(ALICE, token('alice'));
    await encrypting; // the first write has taken its changes and is encrypting them
    hold = false;
    const second = [vault.set(BOB, token('bob')), vault.set(ALICE, token('alice-2'))];
    release();
    expect(await first).toBeNull();
    expect(await Promise.all(second)).toEqual([null, null]);
    const again = await open();
    expect(again.get(ALICE)).toEqual(token('alice-2'));
    expect(again.get(BOB)).toEqual(token('bob'));
  });

  it('flush() waits for every write due, and tries once more what failed before', async () => {
    const keychain = switchableKeychain();
    const vault = await open(keychain);
    keychain.locked = true;
    expect(await vault.set(ALICE, token('alice'))).toBeInstanceOf(PiecesError);
    keychain.locked = false;
    void vault.set(BOB, token('bob')); // not awaited, as by a caller that goes on
    expect(vault.writing).toBe(true);
    await vault.flush();
    expect(vault.writing).toBe(false);
    expect(vault.unsavedIds()).toEqual([]);
    const again = await open();
    expect(again.get(ALICE)).toEqual(token('alice'));
    expect(again.get(BOB)).toEqual(token('bob'));
  });
});

describe('token vault without encryption', () => {
  it('a storage-mode change that cannot be written is not kept, and no later write makes it', async () => {
    let plaintext = false;
    const vault = await openTokenVault({
      cwd: temp.dir,
      safeStorage: switchableKeychain(false),
      allowPlaintext: () => plaintext,
    });
    await vault.set(ALICE, token('alice')); // in memory only
    const repair = breakWrites();
    plaintext = true;
    await expect(vault.applyStorageMode()).rejects.toThrow(PiecesError);
    plaintext = false; // the settings put the opt-in back when the change fails
    repair();
    await vault.set(BOB, token('bob'));
    // Nothing of the failed change is written by a later one: no token in plaintext on disk.
    expect(filesContaining('access-alice')).toEqual([]);
    expect(filesContaining('access-bob')).toEqual([]);
    expect(vault.get(ALICE)).toEqual(token('alice'));
  });

  it('keeps tokens in memory only, writes nothing, and says so once', async () => {
    const vault = await openTokenVault({
      cwd: temp.dir,
      safeStorage: switchableKeychain(false),
      allowPlaintext: () => false,
    });
    await vault.set(ALICE, token('alice'));
    await vault.set(BOB, token('bob'));
    await vault.delete(BOB);

    expect(vault.get(ALICE)).toEqual(token('alice'));
    expect(vault.persistent).toBe(false);
    expect(vault.loadProblems).toHaveLength(1);
    expect(vault.loadProblems[0]).toMatch(/until the app quits/);
    expect(vault.loadProblems[0]).toMatch(/plaintext/i);
    expect(filesContaining('access-alice')).toEqual([]);
    expect(fs.readdirSync(temp.dir)).toEqual([]);

    const again = await openTokenVault({
      cwd: temp.dir,
      safeStorage: switchableKeychain(false),
      allowPlaintext: () => false,
    });
    expect(again.ids()).toEqual([]);
  });

  it('persists plaintext, clearly marked, once the person opts in', async () => {
    const open = () =>
      openTokenVault({
        cwd: temp.dir,
        safeStorage: switchableKeychain(false),
        allowPlaintext: () => true,
      });
    const vault = await open();
    expect(vault.persistent).toBe(true);
    expect(vault.loadProblems).toEqual([]);
    await vault.set(ALICE, token('alice'));

    expect(readTokensFile().tokens[ALICE]).toEqual({ encoding: 'plain', token: token('alice') });
    expect((await open()).get(ALICE)).toEqual(token('alice'));
  });

  it('moves tokens onto and off the disk when the opt-in changes', async () => {
    let optIn = false;
    const vault = await openTokenVault({
      cwd: temp.dir,
      safeStorage: switchableKeychain(false),
      allowPlaintext: () => optIn,
    });
    await vault.set(ALICE, token('alice'));
    expect(fs.existsSync(temp.file)).toBe(false);

    optIn = true;
    expect(vault.persistent).toBe(true);
    await vault.applyStorageMode();
    expect(filesContaining('access-alice')).toEqual([temp.file]);

    optIn = false;
    await vault.applyStorageMode();
    expect(filesContaining('access-alice')).toEqual([]);
    // Still usable for the rest of this session.
    expect(vault.get(ALICE)).toEqual(token('alice'));
  });

  it('leaves encrypted tokens alone while encryption is unavailable, and reports them', async () => {
    const withEncryption = await openTokenVault({
      cwd: temp.dir,
      safeStorage: switchableKeychain(true),
      allowPlaintext: () => false,
    });
    await withEncryption.set(ALICE, token('alice'));
    const saved = readTokensFile().tokens[ALICE];

    const without = await openTokenVault({
      cwd: temp.dir,
      safeStorage: switchableKeychain(false),
      allowPlaintext: () => true,
    });
    expect(without.has(ALICE)).toBe(false);
    expect(without.loadProblems).toHaveLength(1);
    expect(without.loadProblems[0]).toContain('encryption is not available');
    await without.set(BOB, token('bob'));
    expect(readTokensFile().tokens[ALICE]).toEqual(saved);

    // And they come back once encryption does.
    const later = await openTokenVault({
      cwd: temp.dir,
      safeStorage: switchableKeychain(true),
      allowPlaintext: () => false,
    });
    expect(later.get(ALICE)).toEqual(token('alice'));
    expect(later.get(BOB)).toEqual(token('bob'));
  });
});

describe('settings and tokens together', () => {
  it('never puts a token into the settings file', async () => {
    const settings = openSettings({ cwd: temp.dir });
    for (const allowPlaintext of [false, true]) {
      const vault = await openTokenVault({
        cwd: temp.dir,
        safeStorage: switchableKeychain(!allowPlaintext),
        allowPlaintext: () => allowPlaintext,
      });
      await vault.set(ALICE, token('alice'));
      settings.update({ lastActiveId: ALICE, allowPlaintextTokens: allowPlaintext });
    }
    const settingsFile = fs.readFileSync(settings.path, 'utf8');
    expect(settingsFile).toContain(ALICE);
    expect(settingsFile).not.toContain('access-alice');
    expect(settingsFile).not.toContain('refresh-alice');
    expect(filesContaining('access-alice')).toEqual([temp.file]);
  });
});
