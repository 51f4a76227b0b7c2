// Which development and test switches the environment may turn on. A packaged app is production:
// it honours none of them, so an environment variable set by someone else (a login script, a
// malicious launcher) cannot point the window at another page or open test doors.

export interface DevOptions {
  /** electron-vite's dev server (`ELECTRON_RENDERER_URL`), loaded instead of the built page. */
  rendererUrl?: string;
  /** `npm run demo` hands demo tokens over in this file (`PIECES_SWITCHER_SIGN_IN_FILE`). */
  signInFile?: string;
  /** Expose test hooks for the _electron suite (`PIECES_SWITCHER_TEST_HOOKS=1`). */
  testHooks: boolean;
  /** Another profile folder (`PIECES_SWITCHER_USER_DATA`). */
  userData?: string;
}

const NONE: DevOptions = Object.freeze({ testHooks: false });

/** The switches `env` turns on; none at all when `isPackaged`. */
export function devOptions(env: NodeJS.ProcessEnv, isPackaged: boolean): DevOptions {
  if (isPackaged) return NONE;
  const rendererUrl = httpUrl(env.ELECTRON_RENDERER_URL);
  const signInFile = nonEmpty(env.PIECES_SWITCHER_SIGN_IN_FILE);
  const userData = nonEmpty(env.PIECES_SWITCHER_USER_DATA);
  return {
    ...(rendererUrl ? { rendererUrl } : {}),
    ...(signInFile ? { signInFile } : {}),
    testHooks: env.PIECES_SWITCHER_TEST_HOOKS === '1',
    ...(userData ? { userData } : {}),
  };
}

const nonEmpty = (value: string | undefined): string | undefined => value?.trim() || undefined;

function httpUrl(value: string | undefined): string | undefined {
  const text = nonEmpty(value);
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `url` is the app's own page: exactly `pageUrl`'s origin and path (its query and hash
 * may differ). A prefix match would also accept `http://localhost:5173.evil.example/` or any
 * other page the dev server serves.
 */
export function isSamePage(url: string, pageUrl: string): boolean {
  try {
    const a = new URL(url);
    const b = new URL(pageUrl);
    return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
  } catch {
    return false;
  }
}
