// Wire-format users for tests, with every documented key spelled as the README spells it.
export const ID = '497f6eca-6276-4993-bfeb-53cbbbba6f08';
export const schema = { migration: 0, semantic: 'MAJOR_0_MINOR_0_PATCH_1' };
export const aesthetics = { schema, theme: { schema, dark: true }, font: { schema, size: 14 } };
const ts = (value: string) => ({ schema, value, readable: 'Last week' });

/** A user with every documented key, as the README spells them. */
export function fullWireUser(id = ID): Record<string, unknown> {
  return {
    schema,
    id,
    aesthetics,
    picture: 'https://picsum.photos/200',
    email: 'ada@example.com',
    created: ts('2024-01-02T03:04:05.000Z'),
    updated: ts('2024-02-03T04:05:06.000Z'),
    username: 'ada',
    name: 'Ada Lovelace',
    vanityname: 'ada',
    allocation: {
      schema,
      id,
      user: id,
      project: 'pieces-prod',
      region: 'us-central1',
      version: '1.2.3',
      updated: ts('2024-02-03T04:05:06.000Z'),
      urls: {
        schema,
        base: { schema, url: 'https://base.pieces.cloud', status: 'RUNNING' },
        id: { url: `https://${id}.pieces.cloud`, status: 'RUNNING' },
        vanity: { url: 'https://ada.pieces.cloud', status: 'RUNNING' },
      },
      status: { schema, cloud: 'RUNNING' },
    },
    providers: {
      schema,
      iterable: [
        {
          schema,
          type: 'github',
          user_id: 'github|42',
          created: ts('2024-01-02T03:04:05.000Z'),
          updated: ts('2024-01-02T03:04:05.000Z'),
          access_token: 'gho_provider_secret',
          expires_in: 3600,
          profileData: { name: 'Ada', followers: 3 },
          connection: 'github',
          isSocial: true,
        },
      ],
    },
    auth0: {
      schema,
      global_id: id,
      cloud_key: 'k',
      stripe_customer_id: 'cus_1',
      vanityname: 'ada',
      allocation: { project: 'p', region: 'r' },
      open_AI: { api_key_name: 'x' },
      beta: { between: true },
    },
    descope: { schema, global_id: id, descope_id: 'd-1', vanityname: 'ada' },
  };
}
