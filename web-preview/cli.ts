// npm run web -- [--port N] [--emulator] [--users K] [--refresh-ms MS]
//                [--oidc-issuer URL --oidc-client-id ID [--oidc-scopes "openid email ..."]]
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SCOPES, oauthProviderSchema } from '../src/main/auth/provider';
import { startEmulator, type Emulator } from '../emulator/server';
import { signInDemoAccounts } from './demo-accounts';
import { startWebPreview } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      emulator: { type: 'boolean', default: false },
      users: { type: 'string', default: '3' },
      // How often the account service refreshes while online (tests shorten it).
      'refresh-ms': { type: 'string', default: '30000' },
      // The OpenID provider for "Sign in with browser"; its URLs are printed, not opened.
      'oidc-issuer': { type: 'string' },
      'oidc-client-id': { type: 'string' },
      'oidc-scopes': { type: 'string' },
    },
  });
  const port = Number(values.port);
  const users = Number(values.users);
  const refreshIntervalMs = Number(values['refresh-ms']);
  const bad =
    !Number.isInteger(port) || port < 0 || port > 65535 || !Number.isInteger(users) || users < 0;
  const issuer = values['oidc-issuer'];
  const clientId = values['oidc-client-id'];
  const provider =
    issuer === undefined && clientId === undefined
      ? undefined
      : oauthProviderSchema.safeParse({
          issuer,
          clientId,
          scopes: values['oidc-scopes']?.split(/\s+/).filter(Boolean) ?? DEFAULT_SCOPES,
        });
  if (
    bad ||
    !Number.isInteger(refreshIntervalMs) ||
    refreshIntervalMs < 200 ||
    (provider && !provider.success)
  ) {
    console.error(
      'Usage: npm run web -- [--port N] [--emulator] [--users K] [--refresh-ms MS]\n' +
        '         [--oidc-issuer URL --oidc-client-id ID [--oidc-scopes "openid email profile offline_access"]]\n' +
        '  --oidc-issuer must be https://, or http:// on 127.0.0.1/localhost; both OIDC flags go together.',
    );
    process.exit(2);
  }

  let emulator: Emulator | undefined;
  if (values.emulator) {
    const oidc = provider?.data
      ? { oidc: { issuer: provider.data.issuer, audience: provider.data.clientId } }
      : {};
    emulator = await startEmulator({ users, ...oidc });
  }
  const preview = await startWebPreview({
    rendererDir: join(__dirname, '..', 'out', 'renderer'),
    port,
    refreshIntervalMs,
    ...(emulator ? { piecesOsUrl: emulator.url } : {}),
    ...(provider?.data ? { oauthProvider: provider.data } : {}),
  });
  const stop = async (): Promise<void> => {
    await preview.close();
    await emulator?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  // The lines scripts and tests wait for come last: whoever reads them may stop the preview at
  // once, and the handlers above are in place.
  console.log(`Command line: PIECES_SWITCHER_USER_DATA=${preview.dataDir} npm run cli -- --list`);
  if (emulator) {
    await signInDemoAccounts(emulator, preview.service);
    console.log(`Pieces OS emulator listening on ${emulator.url}`);
  }
  // The quick switcher is the same page as another view; its "close" prints "Palette closed".
  console.log(`Quick switcher on ${preview.url}&view=palette`);
  console.log(`Web preview on ${preview.url}`);
  console.log('(development and test tool: binds 127.0.0.1 only; keep the key private)');
}

main().catch((err: unknown) => {
  console.error(`Web preview could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
