// The users Pieces OS knows and who is current. Profiles are serialized once, when created, and the
// `GET /users` body is cached until the next change, so reads do no serialization at all.

import { awkwardId, opaqueId, UUID_RE } from './ids';
import { profileForEmail, seedProfiles } from './profiles';
import type { IdStyle } from './types';
import { SCHEMA_JSON } from './wire';

export class UserStore {
  /** id -> profile JSON of the seeded users, in seed order. */
  private readonly seeded = new Map<string, string>();
  /** Every profile seen since the last reset, so a user who signs in again gets the same one. */
  private known = new Map<string, string>();
  /** The connected users (what `GET /users` lists), in sign-in order. */
  private connected = new Map<string, string>();
  private current: string | null = null;
  private usersBody: Buffer | null = null;
  /** id -> the access token a connected user signed in with (what GET /user/access_token answers). */
  private tokens = new Map<string, string>();
  /** uuid -> awkward id, in order of first sight (the 'awkward' id style only). */
  private readonly awkward = new Map<string, string>();

  constructor(
    count: number,
    seed: number,
    private readonly idStyle: IdStyle = 'uuid',
  ) {
    for (const profile of seedProfiles(count, seed)) {
      this.seeded.set(this.wireId(profile.id), this.styled(profile.id, JSON.stringify(profile)));
    }
    this.reset();
  }

  /** The id clients see for a user whose canonical id (derived from the email) is `uuid`. */
  wireId(uuid: string): string {
    if (this.idStyle === 'opaque') return opaqueId(uuid);
    if (this.idStyle !== 'awkward') return uuid;
    let id = this.awkward.get(uuid);
    if (id === undefined) {
      id = awkwardId(this.awkward.size, uuid);
      this.awkward.set(uuid, id);
    }
    return id;
  }

  /** Whether `id` can name a user at all (else 400): a UUID, or any plain string when opaque. */
  acceptsId(id: string): boolean {
    if (this.idStyle === 'awkward') return id.length > 0 && id.length <= 256;
    return this.idStyle === 'opaque' ? /^[\w.|-]{1,200}$/.test(id) : UUID_RE.test(id);
  }

  /** Profiles embed the id in several places (allocation, auth0, URLs); rewrite them all. */
  private styled(uuid: string, json: string): string {
    if (this.idStyle === 'uuid') return json;
    // Escaped as inside a JSON string: the awkward ids may need it.
    return json.replaceAll(uuid, JSON.stringify(this.wireId(uuid)).slice(1, -1));
  }

  /** Back to the seeded users with the first one current. Copying a Map of strings is cheap. */
  reset(): void {
    this.known = new Map(this.seeded);
    this.connected = new Map(this.seeded);
    this.current = this.seeded.keys().next().value ?? null;
    this.usersBody = null;
    this.tokens = new Map();
  }

  /** The `Users` body. */
  usersJson(): Buffer {
    this.usersBody ??= Buffer.from(
      `{"schema":${SCHEMA_JSON},"iterable":[${[...this.connected.values()].join(',')}]}`,
    );
    return this.usersBody;
  }

  /** The `ReturnedUserProfile` body: no `user` key when nobody is current. */
  currentJson(): string {
    const user = this.current === null ? undefined : this.connected.get(this.current);
    return user === undefined
      ? `{"schema":${SCHEMA_JSON}}`
      : `{"schema":${SCHEMA_JSON},"user":${user}}`;
  }

  profileJson(id: string): string | undefined {
    return this.connected.get(id);
  }

  /** A profile known since the last reset, connected or not. */
  knownJson(id: string): string | undefined {
    return this.known.get(id);
  }

  /** Every profile known since the last reset (connected or disconnected), in first-seen order. */
  knownProfiles(): string[] {
    return [...this.known.values()];
  }

  /** The current user's profile JSON, if anyone is current. */
  currentProfile(): string | undefined {
    return this.current === null ? undefined : this.connected.get(this.current);
  }

  /** The access token `id` signed in with, if one was recorded. */
  tokenOf(id: string): string | undefined {
    return this.tokens.get(id);
  }

  rememberToken(id: string, accessToken: string): void {
    if (this.connected.has(id)) this.tokens.set(id, accessToken);
  }

  /** Known since the last reset but disconnected now. */
  wasDisconnected(id: string): boolean {
    return this.known.has(id) && !this.connected.has(id);
  }

  currentId(): string | null {
    return this.current;
  }

  profiles(): string[] {
    return [...this.connected.values()];
  }

  /**
   * Connects the user if needed (a returning user gets their old profile) and makes them current.
   * `uuid` is the canonical id derived from the email; returns the wire id and profile JSON.
   */
  signIn(uuid: string, email: string, name: string | undefined): { id: string; json: string } {
    const id = this.wireId(uuid);
    let json = this.connected.get(id);
    if (json === undefined) {
      json = this.known.get(id) ?? this.styled(uuid, JSON.stringify(profileForEmail(email, name)));
      this.known.set(id, json);
      this.connected.set(id, json);
      this.usersBody = null;
    }
    this.current = id;
    return { id, json };
  }

  /** Removes the user; when they were current, nobody is current afterwards. */
  disconnect(id: string): boolean {
    if (!this.connected.delete(id)) return false;
    this.tokens.delete(id);
    if (this.current === id) this.current = null;
    this.usersBody = null;
    return true;
  }
}
