// `npm run emulator -- --port N ...`: runs the emulator until SIGINT/SIGTERM, then exits 0.

import { USAGE, parseCliArgs } from './cli-args';
import { startEmulator } from './server';

async function main(): Promise<void> {
  const parsed = parseCliArgs(process.argv.slice(2));
  if (parsed.kind === 'help') {
    console.log(USAGE);
    return;
  }
  if (parsed.kind === 'error') {
    console.error(`${parsed.message}\n\n${USAGE}`);
    process.exit(2);
  }
  let emulator;
  try {
    emulator = await startEmulator(parsed.options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'the port is already in use' : String(error);
    console.error(`Could not start the Pieces OS emulator on port ${parsed.options.port}: ${why}`);
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    void emulator.close().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // Scripts and tests read this line to learn the URL (with the real port when --port 0). It comes
  // last: whoever reads it may stop the emulator at once, and the handlers above are in place.
  console.log(`Pieces OS emulator listening on ${emulator.url}`);
}

void main();
