// Figure 2: a GET /users body of 10,000 users decoded the app's way (JSON.parse, the hand-written
// check and wire->domain mapping of the fast path, zod only if that steps aside: exactly what
// client.listUsers does with new text) against the official SDK's UsersFromJSON on the same text
// (no validation), and bare JSON.parse as the floor.
import { UsersFromJSON } from '@pieces.app/pieces-os-client';
import { decodeUsers } from '../../src/main/pieces/decoding';
import { decodeUsersInSteps } from '../../src/main/pieces/users-in-steps';
import { bareClient, ok2xx } from '../bare-http';
import { LARGE_USERS, type BenchContext } from '../context';
import { finishRow, type Row } from '../report';
import { ratioSpread, sample, summaryOf } from '../sampler';

export async function decodeAtScale(ctx: BenchContext): Promise<Row[]> {
  const { text } = await ok2xx(bareClient(ctx.large.url).request('GET', '/users'), 'GET /users');
  const warned: string[] = [];
  const ours = () => decodeUsers(text, 'the user list', 'GET /users', (kind) => warned.push(kind));
  // What listUsers does with a body this large (over 2 MB): from the bytes, in steps.
  const bytes = Buffer.from(text);
  let turns = 0;
  const pause = () => new Promise<void>((resolve) => setImmediate(() => resolve(void turns++)));
  const steps = () =>
    decodeUsersInSteps(bytes, 'the user list', 'GET /users', (kind) => warned.push(kind), {
      pause,
    });
  const sdk = () => UsersFromJSON(JSON.parse(text));
  const floor = () => JSON.parse(text) as unknown;
  // The floor for the same from bytes: any client gets bytes and must decode the UTF-8 first.
  const floorBytes = () => JSON.parse(bytes.toString('utf8')) as unknown;

  if (ours().length !== LARGE_USERS) throw new Error('The app did not decode every user.');
  if ((await steps()).length !== LARGE_USERS) throw new Error('The steps missed some users.');
  // Without turns, the steps gave up and the whole body was decoded at once: not what is measured.
  if (turns === 0) throw new Error('The list was not decoded in steps.');
  // A warning means the answer was salvaged: not the path being measured here.
  if (warned.length > 0) throw new Error(`The app warned while decoding: ${warned.join(', ')}`);
  if (sdk().iterable?.length !== LARGE_USERS) throw new Error('The SDK did not decode every user.');

  const samples = await sample(
    [
      { name: 'ours', run: ours },
      { name: 'steps', run: steps },
      { name: 'sdk', run: sdk },
      { name: 'floor', run: floor },
      { name: 'floorBytes', run: floorBytes },
    ],
    ctx.runs({ warmup: 6, runs: 14, repeats: 3 }, { warmup: 2, runs: 5, repeats: 3 }),
  );
  const oursM = { kind: 'samples' as const, ...summaryOf(samples, 'ours') };
  const mb = (Buffer.byteLength(text) / 1e6).toFixed(1);
  const note = `One ${mb} MB GET /users body (${LARGE_USERS.toLocaleString('en')} users) decoded in process; the three variants interleaved.`;
  return [
    finishRow({
      id: 'decode.vsSdk',
      figure: 2,
      label: `decode ${LARGE_USERS.toLocaleString('en')} users: app (parse + check + map)`,
      unit: 'ms',
      ours: oursM,
      baseline: {
        label: 'SDK UsersFromJSON(JSON.parse)',
        measure: { kind: 'samples', ...summaryOf(samples, 'sdk') },
      },
      ratioSpread: ratioSpread(samples, 'ours', 'sdk'),
      note,
    }),
    finishRow(
      {
        id: 'decode.vsJsonParse',
        figure: 2,
        label: `decode ${LARGE_USERS.toLocaleString('en')} users: app, against the floor`,
        unit: 'ms',
        ours: oursM,
        baseline: {
          label: 'JSON.parse alone',
          measure: { kind: 'samples', ...summaryOf(samples, 'floor') },
        },
        ratioSpread: ratioSpread(samples, 'ours', 'floor'),
        note,
      },
      { text: '≤ 1.5×', on: 'ratio', op: '<=', limit: 1.5 },
    ),
    finishRow(
      {
        id: 'decode.stepsVsJsonParseBytes',
        figure: 2,
        label: `decode ${LARGE_USERS.toLocaleString('en')} users in steps, from bytes (as listUsers does over 2 MB)`,
        unit: 'ms',
        ours: { kind: 'samples', ...summaryOf(samples, 'steps') },
        baseline: {
          label: "JSON.parse(bytes.toString('utf8'))",
          measure: { kind: 'samples', ...summaryOf(samples, 'floorBytes') },
        },
        ratioSpread: ratioSpread(samples, 'steps', 'floorBytes'),
        note:
          `${note} In steps of about 0.5 MB with a turn of the event loop between them, from the ` +
          'bytes as received, so its floor decodes the same bytes to text and parses them.',
      },
      { text: '≤ 1.5×', on: 'ratio', op: '<=', limit: 1.5 },
    ),
  ];
}
