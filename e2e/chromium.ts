// Debian's Chromium, as every browser test and benchmark here starts it. Playwright cannot
// download its own browser on these machines.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Loopback only: emulated profile pictures point at example hosts (some over https); never
// resolve anything else. Shared by the web suite and the Electron suite.
export const LOOPBACK_ONLY_RESOLVER = '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  LOOPBACK_ONLY_RESOLVER,
];
