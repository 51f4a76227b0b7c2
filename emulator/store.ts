// The users Pieces OS knows and who is current. Profiles are serialized once, when created, and the
// `GET /users` body is cached until the next change, so reads do no serialization at all.

import { profileForEmail, seedProfiles } from './profiles';
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

  constructor(count: number, seed: number) {
    for (const profile of seedProfiles(count, seed)) {
      this.seeded.set(profile.id, JSON.stringify(profile));
    }
    this.reset();
  }

  /** Back to the seeded users with the first one current. Copying a Map of strings is cheap. */
  reset(): void {
    this.known = new Map(this.seeded);
    this.connected = new Map(this.seeded);
    this.current = this.seeded.keys().next().value ?? null;
    this.usersBody = null;
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

  /** Connects the user if needed (a returning user gets their old profile) and makes them current. */
  signIn(id: string, email: string, name: string | undefined, nowMs: number): string {
    let json = this.connected.get(id);
    if (json === undefined) {
      json = this.known.get(id) ?? JSON.stringify(profileForEmail(email, name, nowMs));
      this.known.set(id, json);
      this.connected.set(id, json);
      this.usersBody = null;
    }
    this.current = id;
    return json;
  }

  /** Removes the user; when they were current, nobody is current afterwards. */
  disconnect(id: string): boolean {
    if (!this.connected.delete(id)) return false;
    if (this.current === id) this.current = null;
    this.usersBody = null;
    return true;
  }
}
