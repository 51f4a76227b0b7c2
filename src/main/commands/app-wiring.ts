// The running app's side of the command line and of pieces-switcher: links, wired to Electron.
// The decisions live in plain modules (second-instance.ts, open-link.ts, run-command.ts); this
// file only connects them to Electron's events, its dialog and the command channel.
import type * as ElectronModule from 'electron';
import type { BrowserWindow, MessageBoxOptions } from 'electron';
import type { Account } from '../../shared/domain';
import type { AccountService } from '../accounts/account-service';
import type { Log } from '../log/logger';
import { startCommandServer, type CommandServer } from './command-server';
import { describeAccount } from './match-account';
import { openSwitcherLink } from './open-link';
import { runCommand } from './run-command';
import { answerRequest } from './run-cli';
import { secondInstanceAction } from './second-instance';
import { LINK_SCHEME, linksIn } from './switcher-link';

type Electron = typeof ElectronModule;

/**
 * Call before app.whenReady(): macOS sends the link that launched the app as 'open-url' before
 * the app is ready. Links that arrive before the app can act are kept until attach().
 */
export function catchLinks(app: Electron['app'], argv: readonly string[]) {
  const early: string[] = linksIn(argv); // Windows and Linux: the launching link is an argument
  let handler: ((url: string) => void) | null = null;
  app.on('open-url', (event, url) => {
    event.preventDefault();
    if (handler) handler(url);
    else early.push(url);
  });
  return {
    attach(open: (url: string) => void): void {
      handler = open;
      for (const url of early.splice(0)) open(url);
    },
  };
}

export interface CommandWiringOptions {
  electron: Electron;
  service: AccountService;
  log: Log;
  userData: string;
  links: ReturnType<typeof catchLinks>;
  showWindow(): void;
  window(): BrowserWindow | null;
}

export async function wireCommandsAndLinks(opts: CommandWiringOptions): Promise<{ close(): void }> {
  const { electron, service, log } = opts;
  const { app } = electron;
  // Installers register the scheme too (electron-builder.yml `protocols`); a development build
  // does not claim it, or every link on the developer's machine would start Electron itself.
  if (app.isPackaged && !app.setAsDefaultProtocolClient(LINK_SCHEME)) {
    log.warn(`The app could not register itself for ${LINK_SCHEME}: links`);
  }

  const confirm = async (account: Account): Promise<boolean> => {
    const options: MessageBoxOptions = {
      type: 'question',
      buttons: ['Cancel', `Switch to ${account.displayName}`],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
      title: 'Switch account',
      message: `Switch Pieces OS to ${account.displayName}?`,
      detail: `A link asked to switch to ${describeAccount(account)}. Switch only if you opened this link yourself.`,
    };
    const win = opts.window();
    const { response } = win
      ? await electron.dialog.showMessageBox(win, options)
      : await electron.dialog.showMessageBox(options);
    return response === 1;
  };
  const open = (url: string): void =>
    void openSwitcherLink(url, { service, confirm, showWindow: opts.showWindow, log }).catch(
      (err: unknown) =>
        log.warn('A pieces-switcher link could not be followed', {
          error: err instanceof Error ? err.message : String(err),
        }),
    );
  opts.links.attach(open);

  app.on('second-instance', (_event, argv, workingDirectory, additionalData) => {
    const action = secondInstanceAction(argv, workingDirectory, additionalData);
    if (action.kind === 'show') opts.showWindow();
    else if (action.kind === 'link') open(action.url);
  });

  let server: CommandServer | null = null;
  try {
    server = await startCommandServer({
      userData: opts.userData,
      log,
      handle: (args) => answerRequest(args, (command) => runCommand(command, service)),
    });
  } catch (err) {
    // The app works without it; the command line then runs commands itself.
    log.warn('The command line channel could not start', {
      error: err instanceof Error ? err.message : String(err),
    });
  }
  return { close: () => void server?.close() };
}
