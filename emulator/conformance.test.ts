import {
  AllocationStatusEnum,
  Configuration,
  ExternalProviderTypeEnum,
  OSApi,
  ResponseError,
  UserApi,
  UserProfileFromJSON,
  UserProfileToJSON,
  UsersApi,
  type UserProfile,
} from '@pieces.app/pieces-os-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { userIdForEmail } from './ids';
import { startEmulator, type Emulator } from './server';

// Drives the emulator with the official generated SDK, so the wire format is checked by a client
// nobody on this team wrote.

let emu: Emulator;
let users: UsersApi;
let user: UserApi;
let os: OSApi;
beforeAll(async () => {
  emu = await startEmulator({ users: 40, seed: 3 });
  const configuration = new Configuration({ basePath: emu.url });
  users = new UsersApi(configuration);
  user = new UserApi(configuration);
  os = new OSApi(configuration);
});
afterEach(() => emu.reset());
afterAll(() => emu.close());

const PROVIDER_TYPES: string[] = Object.values(ExternalProviderTypeEnum);
const STATUSES: string[] = Object.values(AllocationStatusEnum);

function expectParsed(profile: UserProfile): void {
  expect(profile.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(profile.aesthetics.theme.dark).toBeTypeOf('boolean');
  expect(profile.aesthetics.font.size).toBeTypeOf('number');
  for (const date of [profile.created?.value, profile.updated?.value]) {
    expect(date).toBeInstanceOf(Date);
    expect(Number.isNaN(date?.getTime())).toBe(false);
  }
  const providers = profile.providers?.iterable ?? [];
  expect(providers.length).toBeGreaterThan(0);
  for (const provider of providers) {
    expect(PROVIDER_TYPES).toContain(provider.type);
    expect(provider.userId).toBeTypeOf('string');
    expect(provider.created.value).toBeInstanceOf(Date);
  }
  if (profile.allocation) {
    expect(STATUSES).toContain(profile.allocation.status.cloud);
    expect(STATUSES).toContain(profile.allocation.urls.base.status);
    expect(profile.allocation.user).toBe(profile.id);
  }
  expect(profile.auth0?.globalId).toBe(profile.id);
}

/** Parsed and re-serialized by the SDK, a profile must come back exactly as the emulator sent it:
 *  every key is one the SDK knows, and every date is ISO-8601 as the SDK writes it. */
async function expectRoundTrip(path: string, pick: (body: never) => unknown): Promise<void> {
  const raw = (await (await fetch(emu.url + path)).json()) as never;
  const sent = pick(raw);
  const parsed = UserProfileFromJSON(sent);
  const reserialized = JSON.parse(JSON.stringify(UserProfileToJSON(parsed))) as unknown;
  expect(reserialized).toEqual(sent);
}

describe('the official SDK (@pieces.app/pieces-os-client) against the emulator', () => {
  it('usersSnapshot parses every user', async () => {
    const snapshot = await users.usersSnapshot();
    const ids = (emu.users() as { id: string }[]).map((u) => u.id);
    expect(snapshot.iterable?.map((u) => u.id)).toEqual(ids);
    for (const profile of snapshot.iterable ?? []) expectParsed(profile);
    expect(snapshot.iterable?.some((u) => u.allocation === undefined)).toBe(true);
    expect(snapshot.iterable?.some((u) => u.picture === undefined)).toBe(true);
  });

  it('serializes every profile back to exactly the emulator JSON', async () => {
    for (let i = 0; i < 40; i++) {
      await expectRoundTrip('/users', (body: { iterable: unknown[] }) => body.iterable[i]);
    }
    await expectRoundTrip('/user', (body: { user: unknown }) => body.user);
  });

  it('usersSpecificUserSnapshot returns one user and surfaces 404 / 400', async () => {
    const [first] = emu.users() as { id: string; email: string }[];
    const profile = await users.usersSpecificUserSnapshot({ user: first?.id ?? '' });
    expect(profile.email).toBe(first?.email);
    expectParsed(profile);
    const unknown = userIdForEmail('ghost@example.com');
    const missing = await users.usersSpecificUserSnapshot({ user: unknown }).catch((e) => e);
    expect(missing).toBeInstanceOf(ResponseError);
    expect((missing as ResponseError).response.status).toBe(404);
    const bad = await users.usersSpecificUserSnapshot({ user: 'nope' }).catch((e) => e);
    expect((bad as ResponseError).response.status).toBe(400);
  });

  it('authenticateFromOauthToken signs in; userSnapshot shows the new current user', async () => {
    const token = emu.mintToken({ email: 'sdk.user@example.com', name: 'SDK User' });
    const profile = await users.authenticateFromOauthToken({
      oAuthToken: {
        accessToken: token.access_token,
        tokenType: 'Bearer',
        expiresIn: token.expires_in,
        scope: token.scope,
      },
    });
    expect(profile).toMatchObject({ id: userIdForEmail('sdk.user@example.com'), name: 'SDK User' });
    expectParsed(profile);
    const current = await user.userSnapshot();
    expect(current.user?.id).toBe(profile.id);
    expect(current.user?.email).toBe('sdk.user@example.com');
  });

  it('authenticateFromOauthToken surfaces 401 for a foreign token', async () => {
    const error = await users
      .authenticateFromOauthToken({
        oAuthToken: { accessToken: 'not-ours', tokenType: 'Bearer', expiresIn: 60 },
      })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).response.status).toBe(401);
  });

  it('usersDisconnectUser returns those left; userSnapshot then has no user', async () => {
    const current = await user.userSnapshot();
    const id = current.user?.id ?? '';
    expect(id).toBe(emu.currentUserId());
    const left = await users.usersDisconnectUser({ user: id });
    expect(left.iterable).toHaveLength(39);
    expect(left.iterable?.map((u) => u.id)).not.toContain(id);
    const after = await user.userSnapshot();
    expect(after.user).toBeUndefined();
    expect(after.schema?.semantic).toBe('MAJOR_0_MINOR_0_PATCH_1');
  });

  it('signIntoOS waits for the person and parses the profile; userSnapshot shows them', async () => {
    const pending = os.signIntoOS();
    await emu.whenSignInPending();
    emu.completeSignIn({ email: 'os.sdk@example.com', name: 'OS SDK' });
    const profile = await pending;
    expect(profile).toMatchObject({ id: userIdForEmail('os.sdk@example.com'), name: 'OS SDK' });
    expectParsed(profile);
    expect((await user.userSnapshot()).user?.id).toBe(profile.id);
  });

  it('signIntoOS surfaces a cancelled sign-in as a 500 ResponseError', async () => {
    const pending = os.signIntoOS().catch((e: unknown) => e);
    await emu.whenSignInPending();
    emu.cancelSignIn();
    const error = await pending;
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).response.status).toBe(500);
  });

  it('userAccessToken answers the token as a string, which signs that user in again', async () => {
    const pending = os.signIntoOS();
    await emu.whenSignInPending();
    emu.completeSignIn({ email: 'token.sdk@example.com' });
    const { id } = await pending;
    const token = await user.userAccessToken();
    expect(token.split('.')).toHaveLength(3);
    await os.signOutOfOS();
    const again = await users.authenticateFromOauthToken({
      oAuthToken: { accessToken: token, tokenType: 'Bearer', expiresIn: 3600 },
    });
    expect(again.id).toBe(id);
    expectParsed(again);
  });

  it('signOutOfOS returns those left; userSnapshot then has no user', async () => {
    const current = emu.currentUserId();
    const left = await os.signOutOfOS();
    expect(left.iterable).toHaveLength(39);
    for (const profile of left.iterable ?? []) expectParsed(profile);
    expect(left.iterable?.map((u) => u.id)).not.toContain(current);
    expect((await user.userSnapshot()).user).toBeUndefined();
    const error = await user.userAccessToken().catch((e: unknown) => e);
    expect((error as ResponseError).response.status).toBe(500);
  });
});
