// Figure 1: each Users endpoint through the app's client (axios with its lean keep-alive adapter,
// deadline, zod validation, mapping) against three others making the same call:
// - the fair floor: node:http with a keep-alive agent, then JSON.parse of the body;
// - bare axios with the same adapter and agent options, then JSON.parse (the app's own overhead);
// - the official SDK (@pieces.app/pieces-os-client, over fetch), the peer.
// Variants run in a fresh seeded order every round; the comparison is repeated and each ratio is
// reported with its spread over the repeats.
import { Configuration, OAuthTokenFromJSON, UserApi, UsersApi } from '@pieces.app/pieces-os-client';
import axios from 'axios';
import { createBaseUrlResolver } from '../../src/main/pieces/base-url';
import { createPiecesClient } from '../../src/main/pieces/client';
import { createLeanAdapter, type ReceivedBody } from '../../src/main/pieces/http-adapter';
import { MAX_BODY_BYTES } from '../../src/main/pieces/transport';
import { bareClient, ok2xx } from '../bare-http';
import { SMALL_USERS, type BenchContext } from '../context';
import { finishRow, type Row, type Target } from '../report';
import { ratioSpread, sample, summaryOf, type Sampled, type Variant } from '../sampler';

interface Endpoint {
  id: string;
  label: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  ours: () => Promise<unknown>;
  sdk: () => Promise<unknown>;
  /** Untimed, before each run of every variant. */
  before?: () => Promise<unknown>;
  /** Untimed, before each run of the app's client only. */
  beforeOurs?: () => Promise<unknown>;
  note?: string;
}

const NOTE =
  'The app client (axios + lean keep-alive node:http adapter, deadline timer, zod validation, ' +
  'wire->domain mapping) against the same call made by: node:http with a keep-alive agent + ' +
  'JSON.parse (the floor); bare axios with the same adapter and agent options + JSON.parse (so ' +
  'the ratio is the app’s own overhead); the official SDK (fetch). Emulator in its own process. ' +
  'Ratio: median over medians per repeat, then min–max over the repeats.';

const VS: { key: 'floor' | 'axios' | 'sdk'; label: string; target: Target }[] = [
  {
    key: 'floor',
    label: 'node:http keep-alive + JSON.parse',
    target: { text: '≤ 1.6×', on: 'ratio', op: '<=', limit: 1.6 },
  },
  {
    key: 'axios',
    label: 'bare axios, same adapter + JSON.parse',
    target: { text: '≤ 1.15×', on: 'ratio', op: '<=', limit: 1.15 },
  },
  {
    key: 'sdk',
    label: 'official SDK',
    target: { text: '≤ 1.0×', on: 'ratio', op: '<=', limit: 1.0 },
  },
];

export async function clientOverhead(ctx: BenchContext): Promise<Row[]> {
  const emu = ctx.small;
  await emu.reset();
  const { users, currentUserId } = await emu.state();
  const current = users.find((u) => u.id === currentUserId);
  const other = users.find((u) => u.id !== currentUserId && u.email);
  if (!current?.email || !other?.email) throw new Error('The emulator has no users to sign in.');
  const currentToken = await emu.mintToken(current.email);
  const otherToken = await emu.mintToken(other.email);

  const client = createPiecesClient({
    resolver: createBaseUrlResolver({ setting: () => emu.url, env: {} }),
    timeoutMs: 30_000,
  });
  const bare = bareClient(emu.url);
  const lean = createLeanAdapter({ maxBodyBytes: MAX_BODY_BYTES });
  const bareAxios = axios.create({ adapter: lean.adapter, baseURL: emu.url });
  const axiosJson = async (method: 'GET' | 'POST', path: string, data?: unknown) => {
    const res = await bareAxios.request<ReceivedBody>({ method, url: path, data });
    if (res.status < 200 || res.status >= 300) throw new Error(`${method} ${path}: ${res.status}`);
    return JSON.parse(res.data.text) as unknown;
  };
  const sdkConfig = new Configuration({ basePath: emu.url });
  const sdkUsers = new UsersApi(sdkConfig);
  const sdkUser = new UserApi(sdkConfig);
  const signBackIn = () =>
    ok2xx(bare.request('POST', '/users/authenticate/from_token', JSON.stringify(otherToken)), 'in');

  // Sanity: every variant sees what the emulator serves, so all of them do real work.
  const listed = await client.listUsers();
  if (listed.length !== SMALL_USERS) throw new Error(`listUsers returned ${listed.length} users.`);
  if ((await client.currentUser())?.id !== current.id) throw new Error('currentUser is wrong.');
  if ((await sdkUsers.usersSnapshot()).iterable?.length !== SMALL_USERS) {
    throw new Error('The SDK did not list every user.');
  }

  // For "listUsers, list changed": the other user leaves and comes back on alternate calls, so
  // the app's client never sees the bytes it saw last time (and decodes every answer).
  let present = true;
  const toggleOther = async () => {
    if (present) await ok2xx(bare.request('POST', `/users/${other.id}/disconnect`), 'out');
    else await signBackIn();
    present = !present;
  };

  const endpoints: Endpoint[] = [
    {
      id: 'listUsers.unchanged',
      method: 'GET',
      path: '/users',
      label: `listUsers: GET /users (${SMALL_USERS} users, unchanged)`,
      ours: () => client.listUsers(),
      sdk: () => sdkUsers.usersSnapshot(),
      note: 'The list does not change between calls: the app sees identical bytes and skips decoding.',
    },
    {
      id: 'listUsers.changed',
      method: 'GET',
      path: '/users',
      label: `listUsers: GET /users (${SMALL_USERS - 1}/${SMALL_USERS} users, changed every call)`,
      ours: () => client.listUsers(),
      sdk: () => sdkUsers.usersSnapshot(),
      beforeOurs: toggleOther,
      note: 'Untimed, before each app call, a user leaves or comes back: the app decodes every answer.',
    },
    {
      id: 'getUser',
      method: 'GET',
      path: `/users/${current.id}`,
      label: 'getUser: GET /users/{id}',
      ours: () => client.getUser(current.id),
      sdk: () => sdkUsers.usersSpecificUserSnapshot({ user: current.id }),
    },
    {
      id: 'currentUser',
      method: 'GET',
      path: '/user',
      label: 'currentUser: GET /user',
      ours: () => client.currentUser(),
      sdk: () => sdkUser.userSnapshot(),
    },
    {
      id: 'signInWithToken',
      method: 'POST',
      path: '/users/authenticate/from_token',
      body: currentToken,
      label: 'signInWithToken: POST /users/authenticate/from_token',
      ours: () => client.signInWithToken(currentToken),
      sdk: () =>
        sdkUsers.authenticateFromOauthToken({ oAuthToken: OAuthTokenFromJSON(currentToken) }),
    },
    {
      id: 'disconnect',
      method: 'POST',
      path: `/users/${other.id}/disconnect`,
      label: `disconnect: POST /users/{id}/disconnect (${SMALL_USERS - 1} left)`,
      ours: () => client.disconnect(other.id),
      sdk: () => sdkUsers.usersDisconnectUser({ user: other.id }),
      // Put the user back (untimed) so every run disconnects someone.
      before: signBackIn,
    },
  ];

  const counts = ctx.runs(
    { warmup: 30, runs: 100, repeats: 3 },
    { warmup: 10, runs: 30, repeats: 3 },
  );
  const rows: Row[] = [];
  try {
    for (const ep of endpoints) {
      ctx.log(`  ${ep.id}`);
      await emu.reset();
      present = true;
      const body = ep.body === undefined ? undefined : JSON.stringify(ep.body);
      const variants: Variant[] = [
        { name: 'ours', run: ep.ours },
        { name: 'floor', run: () => bare.json(ep.method, ep.path, body) },
        { name: 'axios', run: () => axiosJson(ep.method, ep.path, ep.body) },
        { name: 'sdk', run: ep.sdk },
      ].map((v) => {
        const before = v.name === 'ours' && ep.beforeOurs ? ep.beforeOurs : ep.before;
        return before ? { ...v, before } : v;
      });
      const s = await sample(variants, counts);
      for (const vs of VS) rows.push(row(ep, s, vs));
    }
  } finally {
    lean.destroy();
    await emu.reset();
  }
  return rows;
}

function row(ep: Endpoint, s: Sampled, vs: (typeof VS)[number]): Row {
  return finishRow(
    {
      id: `client.${ep.id}.vs.${vs.key}`,
      figure: 1,
      label: ep.label,
      unit: 'ms',
      ours: { kind: 'samples', ...summaryOf(s, 'ours') },
      baseline: { label: vs.label, measure: { kind: 'samples', ...summaryOf(s, vs.key) } },
      ratioSpread: ratioSpread(s, 'ours', vs.key),
      note: ep.note ? `${NOTE} ${ep.note}` : NOTE,
    },
    vs.target,
  );
}
