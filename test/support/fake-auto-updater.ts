// A stand-in for electron-updater's autoUpdater: an event emitter whose checks the test answers by
// emitting the events the real one would, recording what the app set and called.
import { EventEmitter } from 'node:events';
import type { AutoUpdaterLike } from '../../src/main/update/updater';

export class FakeAutoUpdater extends EventEmitter implements AutoUpdaterLike {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  logger: AutoUpdaterLike['logger'] = null;
  checks = 0;
  installs: { isSilent?: boolean; isForceRunAfter?: boolean }[] = [];
  /** What the next checkForUpdates() resolves to (null: the updater is inactive), or rejects with. */
  nextResult: { value: unknown } | { error: Error } = { value: {} };

  checkForUpdates(): Promise<unknown> {
    this.checks++;
    const r = this.nextResult;
    return 'error' in r ? Promise.reject(r.error) : Promise.resolve(r.value);
  }

  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.installs.push({ isSilent, isForceRunAfter });
  }

  /** A check that finds `version` and downloads it, as electron-updater reports it. */
  findAndDownload(version: string): void {
    this.emit('checking-for-update');
    this.emit('update-available', { version });
    this.emit('download-progress', { percent: 42.5 });
    this.emit('update-downloaded', { version });
  }
}
