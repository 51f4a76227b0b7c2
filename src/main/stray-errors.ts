// An exception nobody caught, or a promise rejection nobody handled, in the main process. Electron
// would show a dialog with a stack trace and go on; the app instead writes it to its log (which
// redacts tokens) and tells the person in words, once, and goes on too.
import type { Notice } from '../shared/domain';
import type { Log } from './log/logger';

export const STRAY_ERROR_NOTICE: Notice = {
  id: 'internal-error',
  level: 'error',
  message:
    'Something went wrong inside the app. It is still running; if anything looks wrong, quit it and start it again. The details are in the app’s log.',
};

interface ProcessEvents {
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (err: unknown) => void): unknown;
  off(event: 'uncaughtException' | 'unhandledRejection', listener: (err: unknown) => void): unknown;
}

/** Starts catching; returns the function that stops (at quit, and between tests). */
export function catchStrayErrors(
  proc: ProcessEvents,
  opts: { log: Pick<Log, 'error'>; notify(notice: Notice): void },
): () => void {
  const handler = (what: string) => (err: unknown) => {
    opts.log.error(what, {
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
    opts.notify(STRAY_ERROR_NOTICE);
  };
  const onException = handler('An exception in the main process was not caught');
  const onRejection = handler('A promise rejection in the main process was not handled');
  proc.on('uncaughtException', onException);
  proc.on('unhandledRejection', onRejection);
  return () => {
    proc.off('uncaughtException', onException);
    proc.off('unhandledRejection', onRejection);
  };
}
