// The main process minus Electron: settings, token vault, Pieces OS client, account service and
// the IPC handlers, put together once. The desktop app (app.ts) and the web preview both use it,
// so the preview really runs the app's own core.
import os from 'node:os';
import { fail, ok, type Notice, type PublicSettings, type SettingsView } from '../shared/domain';
import {
  createAccountService,
  type AccountService,
  type LiveLink,
} from './accounts/account-service';
import { createBrowserAuth, type BrowserAuth } from './auth/browser-auth';
import { canOpenForSignIn } from './auth/open-policy';
import { createHandlers, type ConfirmAddress, type Handlers, type PictureOf } from './ipc/handlers';
import { logServiceEvents, registeringStore, registeringTokens } from './log/app-log';
import type { Log } from './log/logger';
import { createBaseUrlResolver, envUrlProblem, portFilePaths } from './pieces/base-url';
import { createPiecesClient } from './pieces/client';
import { createLiveUpdates } from './pieces/live';
import { piecesOsSession } from './pieces/session';
import type { Connection, ListenerCheck } from './pieces/listener-owner';
import {
  addressKey,
  ownerProblem,
  trustingClient,
  trustVerdict,
  UNTRUSTED_KIND,
  type TrustOptions,
} from './pieces/trust';
import type { PiecesClient } from './pieces/types';
import { openSettings, publicSettings, type SettingsStore } from './settings/settings';
import type { Keychain } from './settings/keychain';
import { openTokenVault, type TokenVault } from './settings/token-vault';

export interface CoreOptions {
  /** Where settings and tokens live (Electron's userData, or a temp folder). */
  dataDir: string;
  /** The system keychain (settings/keychain.ts), or noKeychain() where there is none. */
  safeStorage: Keychain;
  /** Default: the person's "keep sign-ins without encryption" setting. */
  allowPlaintext?: () => boolean;
  /** A Pieces OS URL that wins over the setting (the web preview's emulator). */
  piecesOsUrl?: string;
  /** Whether an http provider on this computer may be used for browser sign-in. */
  allowLoopbackIssuer: boolean;
  /** Opens a provider page in the system browser; only called for URLs canOpenForSignIn() allows. */
  openExternal(url: string): Promise<void> | void;
  log?: Log;
  refreshIntervalMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  requestTimeoutMs?: number;
  /** Side effect of the launch-at-login setting (Electron only). */
  onLaunchAtLogin?(enabled: boolean): void;
  /** Where PIECES_OS_URL is read. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Follow Pieces OS through its WebSocket streams (default), or only poll it. */
  live?: boolean;
  /** Where the port files Pieces OS writes are looked for. Default the person's home folder. */
  homeDir?: string;
  /**
   * Asks the person, in a main-process dialog that names `url`, whether it is their Pieces OS.
   * Without it the window cannot get an address confirmed (see pieces/trust.ts).
   */
  confirmAddress?(url: string): Promise<boolean>;
  /** Who owns the listener on a loopback port; default reads /proc on Linux (tests fake it). */
  listenerOwner?(port: number): Promise<ListenerCheck>;
  /** Who owns the server's end of a connection; default reads /proc on Linux (tests fake it). */
  connectionOwner?(conn: Connection): Promise<ListenerCheck>;
  /** Hides the quick switcher when it asks (the desktop app's palette window). */
  closePalette?(): void;
  /** Profile pictures for the window (the desktop app fetches and caches them); default none. */
  pictures?: PictureOf;
}

/** How many confirmed addresses are remembered; the oldest is forgotten first. */
const MAX_CONFIRMED = 20;

export interface Core {
  settings: SettingsStore;
  vault: TokenVault;
  client: PiecesClient;
  service: AccountService;
  handlers: Handlers;
}

const toNotices = (prefix: string, problems: readonly string[]): Notice[] =>
  problems.map((message, i) => ({ id: `${prefix}-${i}`, level: 'warning', message }));

/** Asynchronous: the saved sign-ins are decrypted through the keychain's asynchronous API. */
export async function createCore(opts: CoreOptions): Promise<Core> {
  const settings = openSettings({
    cwd: opts.dataDir,
    ...(opts.log ? { onWriteError: (message: string) => opts.log?.warn(message) } : {}),
  });
  const vault = await openTokenVault({
    cwd: opts.dataDir,
    safeStorage: opts.safeStorage,
    allowPlaintext: opts.allowPlaintext ?? (() => settings.get().allowPlaintextTokens),
  });
  const env = opts.env ?? process.env;
  const resolver = createBaseUrlResolver({
    setting: () => opts.piecesOsUrl ?? settings.get().piecesOsUrl,
    env,
    ...(opts.homeDir ? { homeDir: opts.homeDir } : {}),
  });
  // The environment does not change while the app runs: an ignored PIECES_OS_URL is said once,
  // where the person sees it, instead of the app quietly finding some other Pieces OS.
  const envProblem = envUrlProblem(env);
  const addressProblems = envProblem ? [envProblem] : [];
  const bareClient = createPiecesClient({
    resolver,
    timeoutMs: opts.requestTimeoutMs ?? settings.get().requestTimeoutMs,
    ...(opts.log
      ? { warn: (message: string) => opts.log?.warn(message), redact: opts.log.redact }
      : {}),
  });
  // Tokens go only to a trusted Pieces OS: checked on every call that carries one (who holds the
  // other end, once per connection).
  const trust: TrustOptions = {
    source: () => resolver.source(),
    confirmed: () => settings.get().confirmedPiecesOsUrls,
    given: opts.piecesOsUrl ? [opts.piecesOsUrl] : [],
    ...(opts.listenerOwner ? { listenerOwner: opts.listenerOwner } : {}),
    ...(opts.connectionOwner ? { connectionOwner: opts.connectionOwner } : {}),
  };
  const trustedClient = trustingClient(bareClient, trust);
  // With a log, every token is registered as a secret before it is sent anywhere or stored.
  const client = opts.log ? registeringTokens(trustedClient, opts.log) : trustedClient;

  const browserAuth = (): BrowserAuth | null => {
    const provider = settings.get().oauthProvider;
    if (!provider) return null;
    return createBrowserAuth({
      provider,
      allowLoopbackIssuer: opts.allowLoopbackIssuer,
      openExternal: async (url) => {
        // The system browser gets only the provider's own pages.
        if (!canOpenForSignIn(url, provider.issuer, opts.allowLoopbackIssuer)) {
          throw new Error('Not the sign-in provider.');
        }
        // Electronegativity flags this; allow-listed: canOpenForSignIn() accepted the URL just above.
        await opts.openExternal(url);
      },
    });
  };

  const home = opts.homeDir ?? os.homedir();
  const live: LiveLink | undefined =
    opts.live === false
      ? undefined
      : createLiveUpdates({
          resolve: () => resolver.resolve(),
          invalidate: () => resolver.invalidate(),
          portFiles: portFilePaths(home, process.platform, env),
          ...(opts.log ? { log: opts.log } : {}),
        });

  const service = createAccountService({
    client,
    session: piecesOsSession(client),
    ...(live ? { live } : {}),
    tokens: opts.log ? registeringStore(vault, opts.log) : vault,
    lastActive: {
      get: () => settings.get().lastActiveId,
      // Written in the background: a switch does not wait for the disk (flushed on quit).
      set: (id) => void settings.remember({ lastActiveId: id }),
    },
    auth: browserAuth,
    signInTimeoutMs: () => settings.get().signInTimeoutMs,
    notices: [
      ...toNotices('settings', settings.loadProblems),
      ...toNotices('tokens', vault.loadProblems),
      ...toNotices('address', addressProblems),
    ],
    ...(opts.refreshIntervalMs !== undefined ? { refreshIntervalMs: opts.refreshIntervalMs } : {}),
    ...(opts.backoff ? { backoff: opts.backoff } : {}),
  });
  if (opts.log) {
    for (const problem of [...settings.loadProblems, ...vault.loadProblems, ...addressProblems])
      opts.log.warn(problem);
    logServiceEvents(service, opts.log);
  }

  const confirmAddress: ConfirmAddress = async () => {
    const url = await client.baseUrl();
    const key = addressKey(url) ?? url;
    if ((await trustVerdict(url, true, trust)).trusted) return ok({ url: key, confirmed: true });
    // Confirming cannot make another user's listener ours.
    const problem = await ownerProblem(url, trust);
    if (problem) return fail({ kind: UNTRUSTED_KIND, message: problem });
    if (!opts.confirmAddress) {
      return fail({ kind: 'internal', message: 'This app cannot ask to confirm the address.' });
    }
    const confirmed = await opts.confirmAddress(key);
    if (confirmed) {
      const others = settings.get().confirmedPiecesOsUrls.filter((u) => u !== key);
      settings.update({ confirmedPiecesOsUrls: [...others, key].slice(-MAX_CONFIRMED) });
      opts.log?.info('Pieces OS address confirmed by the person', { url: key });
      void service.refresh();
    }
    return ok({ url: key, confirmed });
  };

  // The override is shown in Settings (read-only), never saved.
  const shown = (s: PublicSettings): Omit<SettingsView, 'form'> =>
    opts.piecesOsUrl !== undefined ? { ...s, piecesOsUrlOverride: opts.piecesOsUrl } : s;
  const handlers = createHandlers(
    service,
    {
      get: () => shown(publicSettings(settings.get())),
      update: async (patch: Partial<PublicSettings>) => {
        const before = settings.get();
        const next = settings.update(patch);
        try {
          if (patch.launchAtLogin !== undefined) opts.onLaunchAtLogin?.(next.launchAtLogin);
          if (patch.allowPlaintextTokens !== undefined) await vault.applyStorageMode();
        } catch (err) {
          // Not in force, so not saved either: the file keeps saying what the app does.
          const undo = Object.fromEntries(
            Object.keys(patch).map((key) => [key, before[key as keyof PublicSettings]]),
          );
          settings.update(undo);
          throw err;
        }
        if (patch.requestTimeoutMs !== undefined) client.setTimeout(next.requestTimeoutMs);
        if (patch.piecesOsUrl !== undefined)
          void service.retryNow(); // retryNow re-resolves the URL
        // Whether sign-ins survive a restart may have changed: show it now, not at the next refresh.
        else if (patch.allowPlaintextTokens !== undefined) void service.refresh();
        return shown(publicSettings(next));
      },
    },
    {
      confirmAddress,
      ...(opts.closePalette ? { closePalette: opts.closePalette } : {}),
      ...(opts.pictures ? { pictureOf: opts.pictures } : {}),
    },
  );

  return { settings, vault, client, service, handlers };
}
