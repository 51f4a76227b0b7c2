// The main process's log: electron-log's Node flavour (no Electron needed, so tests use the real
// thing), writing one rotated file. Every entry is turned into one redacted line before any
// transport sees it, so a token cannot reach the file whatever a caller passes.
import { appendFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import electronLog from 'electron-log/node';
import { createRedactor, type Redactor } from './redact';

export type LogLevel = 'info' | 'warn' | 'error';

export interface Log {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** Never write this value to the log (a token the app holds). */
  addSecret(value: unknown): void;
  /** Never write any credential of this OAuth token to the log. */
  addToken(token: unknown): void;
  /** `text` with every registered secret (and echoes of it) cut out, as the log writes it. */
  redact(text: string): string;
  /** The log files on disk: the current one and the rotated one, when they exist. */
  readonly files: readonly string[];
  /** Writes, synchronously, the entries still waiting for a background write (on quit). */
  flush?(): void;
  /** Resolves once every entry so far is in the file. */
  settled?(): Promise<void>;
}

/** What electron-log's File keeps of lines not written yet (its own fields, read for flushing). */
interface PendingLines {
  path: string;
  asyncWriteQueue?: string[];
  hasActiveAsyncWriting?: boolean;
  bytesWritten?: number;
}

export interface LoggerOptions {
  /** The log file; without it entries go nowhere (or only to the console). */
  file?: string;
  /** Bytes after which the file is rotated to `<name>.old<ext>` (one old file is kept). */
  maxSize?: number;
  /** Also print entries to the console (development). */
  console?: boolean;
  /**
   * Log in the background, so no action waits for the log: entries are redacted and formatted a
   * moment later (BACKGROUND_DELAY_MS), in order, and the lines of a burst go to the disk together,
   * off the main thread (one append for many switches, not one per action). Then `flush()` on quit.
   * Default: each entry written at once.
   */
  background?: boolean;
}

export const DEFAULT_MAX_LOG_SIZE = 1024 * 1024;

/** How long background entries wait, so that those of a burst go to the disk together. */
const BACKGROUND_DELAY_MS = 100;

let instances = 0;

export function createLogger(opts: LoggerOptions = {}): Log {
  const redactor: Redactor = createRedactor();
  // electron-log keeps instances in a global registry by id; each logger gets its own.
  const logger = electronLog.create({ logId: `pieces-${process.pid}-${++instances}` });
  const { file: fileTransport, console: consoleTransport } = logger.transports;
  // Asked on first write to resolve default paths; our path is explicit, but the name must resolve.
  fileTransport.setAppName('pieces-account-switcher');
  if (opts.file) {
    const file = opts.file;
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    } catch {
      // No folder, no log: writes then fail quietly below. A log must never stop the app.
    }
    fileTransport.resolvePathFn = () => file;
    fileTransport.maxSize = opts.maxSize ?? DEFAULT_MAX_LOG_SIZE;
    fileTransport.sync = !opts.background;
    fileTransport.writeOptions = { flag: 'a', mode: 0o600, encoding: 'utf8' };
    fileTransport.level = 'info';
  } else {
    fileTransport.level = false;
  }
  consoleTransport.level = opts.console ? 'info' : false;
  // electron-log keeps the console methods it found when it loaded; look them up per entry instead,
  // so the console the process has when it writes (a test runner's, a dev tool's) gets the line.
  consoleTransport.writeFn = ({ message }) => {
    const method = message.level === 'error' || message.level === 'warn' ? message.level : 'info';
    console[method](...message.data);
  };
  // Nothing leaves the process: no renderer console, no remote endpoint (Node builds may lack them).
  for (const [name, transport] of Object.entries(logger.transports)) {
    if (transport && name !== 'file' && name !== 'console') transport.level = false;
  }
  // The last word before any transport: whatever reached electron-log, one redacted string leaves.
  logger.hooks.push((message) => ({
    ...message,
    data: [redactor.redact(message.data.map(stringify).join(' '))],
  }));

  const writeNow = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    try {
      const data: unknown[] = [message];
      if (fields !== undefined) data.push(redactor.redactValue(fields));
      logger[level](...data);
    } catch {
      // A log that cannot be written (disk full, permissions) must not break what it describes.
    }
  };

  // In the background, even redacting and formatting wait a moment: an action (a switch) answers
  // first, then its entries and those of the actions after it are written, in order, together.
  let queued: [LogLevel, string, Record<string, unknown> | undefined][] = [];
  const drain = (): void => {
    const entries = queued;
    queued = [];
    for (const [level, message, fields] of entries) writeNow(level, message, fields);
  };
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (!opts.background) return writeNow(level, message, fields);
    if (queued.length === 0) setTimeout(drain, BACKGROUND_DELAY_MS);
    queued.push([level, message, fields]);
  };

  const files = opts.file ? [opts.file, rotatedPath(opts.file)] : [];
  const pending = (): PendingLines | undefined => {
    if (!opts.file || !opts.background) return undefined;
    try {
      return fileTransport.getFile() as unknown as PendingLines;
    } catch {
      return undefined;
    }
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    addSecret: redactor.addSecret,
    addToken: redactor.addToken,
    redact: redactor.redact,
    files,
    flush() {
      drain();
      const file = pending();
      const lines = file?.asyncWriteQueue;
      if (!file || !lines || lines.length === 0) return;
      // Taken from electron-log's queue, so its next background write does not repeat them.
      const text = lines.join('');
      file.asyncWriteQueue = [];
      try {
        appendFileSync(file.path, text, { mode: 0o600, encoding: 'utf8' });
        file.bytesWritten = (file.bytesWritten ?? 0) + Buffer.byteLength(text);
      } catch {
        // A log that cannot be written must not stop the app from quitting.
      }
    },
    async settled() {
      drain();
      const file = pending();
      // Readiness, not time: each turn checks whether electron-log's writes have all landed.
      while (file && (file.hasActiveAsyncWriting || (file.asyncWriteQueue?.length ?? 0) > 0)) {
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    },
  };
}

/** Where electron-log's default archiveLogFn moves a full log: `main.log` -> `main.old.log`. */
export function rotatedPath(file: string): string {
  const ext = extname(file);
  return join(dirname(file), `${basename(file, ext)}.old${ext}`);
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return '[unserializable]';
  }
}
