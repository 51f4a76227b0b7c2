// Figure 1: each Users endpoint through the app's client (axios transport, zod validation, mapping)
// against a bare node:http request fetching the same bytes.
import { createBaseUrlResolver } from '../../src/main/pieces/base-url';
import { createPiecesClient } from '../../src/main/pieces/client';
import { createTransport } from '../../src/main/pieces/transport';
import { bareClient, ok2xx } from '../bare-http';
import { SMALL_USERS, type BenchContext } from '../context';
import { finishRow, type Row } from '../report';
import { interleave } from '../sampler';
import { summarize } from '../stats';

interface Endpoint {
  id: string;
  label: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  ours: () => Promise<unknown>;
  bare: () => Promise<unknown>;
  /** Untimed, before each run of either variant. */
  before?: () => Promise<unknown>;
}

const NOTE =
  'App client (axios, zod validation, wire->domain mapping) vs node:http reading the body into a ' +
  'string, no parsing. Both open a new connection per request, as the app’s transport does ' +
  '(keep-alive off). Emulator in its own process.';

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
    resolver: createBaseUrlResolver({ setting: () => emu.url }),
    timeoutMs: 30_000,
  });
  const bare = bareClient(emu.url);
  // The app's own transport (axios) without the client's validation and mapping: tells the two
  // parts of the overhead apart (reported in the JSON as detail.transportOnly).
  const transport = createTransport(30_000);
  const get = (path: string) => () => ok2xx(bare.request('GET', path), `GET ${path}`);
  const post = (path: string, body?: string) => () =>
    ok2xx(bare.request('POST', path, body), `POST ${path}`);

  // Sanity: the app's client sees what the emulator serves, so both variants do real work.
  const listed = await client.listUsers();
  if (listed.length !== SMALL_USERS) throw new Error(`listUsers returned ${listed.length} users.`);
  if ((await client.currentUser())?.id !== current.id) throw new Error('currentUser is wrong.');

  const endpoints: Endpoint[] = [
    {
      id: 'listUsers',
      method: 'GET',
      path: '/users',
      label: `listUsers: GET /users (${SMALL_USERS} users)`,
      ours: () => client.listUsers(),
      bare: get('/users'),
    },
    {
      id: 'getUser',
      method: 'GET',
      path: `/users/${current.id}`,
      label: 'getUser: GET /users/{id}',
      ours: () => client.getUser(current.id),
      bare: get(`/users/${current.id}`),
    },
    {
      id: 'currentUser',
      method: 'GET',
      path: '/user',
      label: 'currentUser: GET /user',
      ours: () => client.currentUser(),
      bare: get('/user'),
    },
    {
      id: 'signInWithToken',
      method: 'POST',
      path: '/users/authenticate/from_token',
      body: currentToken,
      label: 'signInWithToken: POST /users/authenticate/from_token',
      ours: () => client.signInWithToken(currentToken),
      bare: post('/users/authenticate/from_token', JSON.stringify(currentToken)),
    },
    {
      id: 'disconnect',
      method: 'POST',
      path: `/users/${other.id}/disconnect`,
      label: `disconnect: POST /users/{id}/disconnect (${SMALL_USERS - 1} left)`,
      ours: () => client.disconnect(other.id),
      bare: post(`/users/${other.id}/disconnect`),
      // Put the user back (untimed) so every run disconnects someone.
      before: post('/users/authenticate/from_token', JSON.stringify(otherToken)),
    },
  ];

  const counts = ctx.runs({ warmup: 30, runs: 300 }, { warmup: 10, runs: 60 });
  const rows: Row[] = [];
  for (const ep of endpoints) {
    ctx.log(`  ${ep.id}`);
    const samples = await interleave(
      [
        { name: 'ours', run: ep.ours },
        { name: 'bare', run: ep.bare },
        {
          name: 'transport',
          run: () =>
            transport.send({ baseUrl: emu.url, method: ep.method, path: ep.path, body: ep.body }),
        },
      ].map((v) => (ep.before ? { ...v, before: ep.before } : v)),
      counts,
    );
    rows.push(
      finishRow(
        {
          id: `client.${ep.id}`,
          figure: 1,
          label: ep.label,
          unit: 'ms',
          ours: { kind: 'samples', ...summarize(samples.get('ours')!) },
          baseline: {
            label: 'node:http',
            measure: { kind: 'samples', ...summarize(samples.get('bare')!) },
          },
          note: NOTE,
          detail: {
            transportOnly: { kind: 'samples', ...summarize(samples.get('transport')!) },
          },
        },
        { text: '≤ 1.3×', on: 'ratio', op: '<=', limit: 1.3 },
      ),
    );
  }
  await emu.reset();
  return rows;
}
