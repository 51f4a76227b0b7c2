// Generates realistic user profiles: seeded ones from (count, seed), new ones from a minted email.
// Everything comes from a seeded PRNG so runs are reproducible; cheap enough for 10,000 users.

import { hash32, normalizeEmail, userIdForEmail } from './ids';
import { createRng, type Rng } from './prng';
import {
  SCHEMA,
  timestamp,
  type AllocationStatus,
  type ProviderType,
  type WireAllocation,
  type WireProvider,
  type WireUserProfile,
} from './wire';

// prettier-ignore
const FIRST = [
  'Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Radia', 'Guido',
  'Frances', 'Donald', 'Hedy', 'Tim', 'Katherine', 'Bjarne', 'Annie', 'John', 'Sophie', 'Yukihiro',
  'Mary', 'Edsger', 'Adele', 'Niklaus', 'Jean', 'Anders', 'Lynn', 'Rob', 'Shafi', 'Vint',
  'Amara', 'Kwame', 'Priya', 'Mateo', 'Ingrid', 'Chen', 'Fatima', 'Olu', 'Sven', 'Lucía',
] as const;
// prettier-ignore
const LAST = [
  'Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Perlman',
  'Rossum', 'Allen', 'Knuth', 'Lamarr', 'Lee', 'Johnson', 'Stroustrup', 'Easley', 'McCarthy',
  'Wilson', 'Matsumoto', 'Keller', 'Dijkstra', 'Goldberg', 'Wirth', 'Sammet', 'Hejlsberg', 'Conway',
  'Pike', 'Goldwasser', 'Cerf', 'Okafor', 'Mensah', 'Raman', 'García', 'Larsen', 'Wei', 'Haddad',
  'Adeyemi', 'Berg', 'Fernández',
] as const;
/** Reserved example domains: generated emails can never reach a real person. */
const DOMAINS = ['example.com', 'example.org', 'example.net'] as const;
/** Weighted towards the providers most Pieces users sign in with. */
// prettier-ignore
const PROVIDERS: readonly ProviderType[] = [
  'github', 'github', 'github', 'google-oauth2', 'google-oauth2', 'google-oauth2', 'gitlab',
  'bitbucket', 'username_email', 'apple', 'discord', 'linkedin', 'twitter', 'facebook', 'slack', 'waad',
];
const REGIONS = ['us-central1', 'europe-west1', 'asia-northeast1'] as const;
const FONT_SIZES = [12, 13, 14, 16] as const;
/** Seeded timestamps fall in 2022-2024, independent of the wall clock. */
const EPOCH = Date.UTC(2022, 0, 1);
const DAY = 86_400_000;

interface Person {
  email: string;
  name?: string;
  username: string;
  createdMs: number;
  updatedMs: number;
}

export function seedProfiles(count: number, seed: number): WireUserProfile[] {
  const rng = createRng(seed);
  const taken = new Set<string>();
  const profiles: WireUserProfile[] = [];
  for (let i = 0; i < count; i++) {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    const base = ascii(`${first}.${last}`);
    let local = base;
    // Emails must be unique because ids derive from them.
    for (let n = 2; taken.has(local); n++) local = `${base}${n}`;
    taken.add(local);
    const createdMs = EPOCH + rng.int(0, 730) * DAY + rng.int(0, DAY - 1);
    const person: Person = {
      email: `${local}@${rng.pick(DOMAINS)}`,
      // Some accounts (email sign-ups) never set a name.
      name: rng.chance(0.9) ? `${first} ${last}` : undefined,
      username: local.replace(/\./g, ''),
      createdMs,
      updatedMs: createdMs + rng.int(0, 365) * DAY,
    };
    profiles.push(buildProfile(rng, person));
  }
  return profiles;
}

/**
 * The profile of a user first seen through a minted token: it depends on the email alone, dates
 * included (in 2022-2024, like seeded ones), so demo pictures and screenshots are the same on
 * every run.
 */
export function profileForEmail(email: string, name: string | undefined): WireUserProfile {
  const normalized = normalizeEmail(email);
  const local = normalized.split('@')[0] ?? '';
  const username = local.replace(/[^a-z0-9]/g, '') || 'user';
  // Dates from a stream of their own, so the rest of the profile is what it always was.
  const dates = createRng(hash32(`dates:${normalized}`));
  const createdMs = EPOCH + dates.int(0, 730) * DAY + dates.int(0, DAY - 1);
  const updatedMs = createdMs + dates.int(0, 365) * DAY;
  const person = { email: normalized, name, username, createdMs, updatedMs };
  return buildProfile(createRng(hash32(normalized)), person);
}

function buildProfile(rng: Rng, person: Person): WireUserProfile {
  const id = userIdForEmail(person.email);
  const vanityname = rng.chance(0.4) ? person.username : undefined;
  const types = [rng.pick(PROVIDERS)];
  if (rng.chance(0.2)) types.push(rng.pick(PROVIDERS.filter((t) => t !== types[0])));
  const allocation = allocationFor(rng, id, vanityname, person.updatedMs);
  // Keys left undefined are dropped by JSON.stringify, which is how the optional ones go missing.
  return {
    schema: SCHEMA,
    id,
    email: person.email,
    username: person.username,
    name: person.name,
    vanityname,
    picture: rng.chance(0.75) ? `https://avatars.example.com/u/${person.username}.png` : undefined,
    created: timestamp(person.createdMs),
    updated: timestamp(person.updatedMs),
    aesthetics: {
      schema: SCHEMA,
      theme: { dark: rng.chance(0.6) },
      font: { size: rng.pick(FONT_SIZES) },
    },
    allocation,
    providers: {
      schema: SCHEMA,
      iterable: types.map((type) => providerFor(rng, type, person.createdMs)),
    },
    auth0: {
      global_id: id,
      vanityname,
      allocation: allocation && { project: allocation.project, region: allocation.region },
    },
  };
}

function providerFor(rng: Rng, type: ProviderType, createdMs: number): WireProvider {
  const enterprise = type === 'waad' || type === 'username_email';
  let userId: string;
  if (type === 'google-oauth2') userId = digits(rng, 21);
  else if (type === 'username_email') userId = chars(rng, 24, '0123456789abcdef');
  else userId = digits(rng, rng.int(6, 9));
  return {
    type,
    user_id: userId,
    created: timestamp(createdMs),
    updated: timestamp(createdMs + rng.int(0, 90) * DAY),
    // Auth0 names the connection after the provider for social logins.
    connection:
      type === 'waad' ? 'PiecesApp' : enterprise ? 'Username-Password-Authentication' : type,
    isSocial: !enterprise,
  };
}

/** Roughly: 55% RUNNING, 20% PENDING, 5% FAILED, 20% no cloud allocated at all. */
function allocationFor(rng: Rng, id: string, vanity: string | undefined, updatedMs: number) {
  const roll = rng.next();
  if (roll >= 0.8) return undefined;
  const status: AllocationStatus = roll < 0.55 ? 'RUNNING' : roll < 0.75 ? 'PENDING' : 'FAILED';
  const region = rng.pick(REGIONS);
  const running = status === 'RUNNING';
  const allocation: WireAllocation = {
    schema: SCHEMA,
    id,
    user: id,
    project: `pieces-cloud-${region}`,
    region,
    urls: {
      base: { url: `https://${region}.pieces.cloud/${id}`, status },
      id: { url: `https://${id}.pieces.cloud`, status },
      vanity: vanity ? { url: `https://${vanity}.pieces.cloud`, status } : undefined,
    },
    status: { cloud: status },
    // Per the spec, updated and version are only present once the cloud is running.
    updated: running ? timestamp(updatedMs) : undefined,
    version: running ? `${rng.int(9, 12)}.${rng.int(0, 9)}.${rng.int(0, 9)}` : undefined,
  };
  return allocation;
}

function chars(rng: Rng, length: number, alphabet: string): string {
  let out = '';
  while (out.length < length) out += alphabet.charAt(rng.int(0, alphabet.length - 1));
  return out;
}

/** A numeric id without a leading zero, like GitHub's and Google's. */
function digits(rng: Rng, length: number): string {
  return chars(rng, 1, '123456789') + chars(rng, length - 1, '0123456789');
}

/** Lowercase ASCII for email local parts (García -> garcia). */
function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[^\x20-\x7e]/g, '')
    .toLowerCase();
}
