import type { AddressConfirmation, ArgsOf, InvokeChannel, ResultOf } from '../../shared/contract';
import type { OAuthTokenInput, PublicSettings, Result, SettingsView } from '../../shared/domain';
import { fail, ok } from '../../shared/domain';
import { draftFrom, settingsPatch } from '../../shared/settings-form';
import type { TokenForm } from '../../shared/token-form';
import { checkTokenForm } from '../../shared/token-form';
import { accountDetails } from '../../shared/details-view';
import type { AccountActions } from '../accounts/types';
import { withChange } from './change-reply';
import { oauthTokenSchema } from './validators';

export type Handlers = {
  [C in InvokeChannel]: (args: ArgsOf<C>) => Promise<Result<ResultOf<C>>> | Result<ResultOf<C>>;
};

export interface SettingsAccess {
  get(): PublicSettings;
  /** Throws PiecesError('invalid-input') on a bad patch; may wait for the token vault's write. */
  update(patch: Partial<PublicSettings>): PublicSettings | Promise<PublicSettings>;
}

/** Asks the person, in main, whether the current Pieces OS address is theirs. */
export type ConfirmAddress = () => Promise<Result<AddressConfirmation>>;

const noDialog: ConfirmAddress = () =>
  Promise.resolve(
    fail({ kind: 'internal', message: 'This app cannot ask to confirm the Pieces OS address.' }),
  );

/** A picture URL's image as a `data:` URL, or null (see pictures/picture-store.ts). */
export type PictureOf = (url: string) => Promise<string | null>;
const noPictures: PictureOf = () => Promise.resolve(null);

/** What only the desktop app (or the web preview) can do; each has a harmless default. */
export interface HandlerExtras {
  confirmAddress?: ConfirmAddress;
  /** Hides the quick switcher's window; where there is none (tests), nothing to hide. */
  closePalette?: () => void;
  pictureOf?: PictureOf;
}

const notSent = (why: string): Result<never> =>
  fail({ kind: 'invalid-input', message: `The token was not sent to Pieces OS: ${why}` });

/**
 * The token in the Add account form, checked here (the window has none of these checks, and the
 * token crosses from the window once, with signIn). A refusal names what to fix in each field, for
 * the window to show at that field; the messages name fields, never values.
 */
function tokenOf(form: TokenForm): Result<OAuthTokenInput> {
  const checked = checkTokenForm(form);
  if (!checked.ok) {
    return fail({
      kind: 'invalid-input',
      message: `The token was not sent to Pieces OS: ${Object.values(checked.errors).join(' ')}`,
      fields: checked.errors,
    });
  }
  const token = oauthTokenSchema.safeParse(checked.token);
  if (!token.success) {
    const issue = token.error.issues[0];
    return notSent(`${issue?.path.join('.') ?? 'the token'} ${issue?.message ?? 'is not valid'}.`);
  }
  return ok(token.data);
}

/** The settings with the Settings form as it opens (its text written here, not in the window). */
const settingsView = (s: PublicSettings): SettingsView => ({ ...s, form: draftFrom(s) });

/** The IPC handlers as plain functions of the service: no Electron here. */
export function createHandlers(
  service: AccountActions,
  settings: SettingsAccess,
  {
    confirmAddress = noDialog,
    closePalette = () => undefined,
    pictureOf = noPictures,
  }: HandlerExtras = {},
): Handlers {
  return {
    getState: () => ok(service.snapshot()),
    // Actions that change the state answer with what changed, never the whole list.
    switchTo: ({ id }) => withChange(service, () => service.switchTo(id)),
    signIn: ({ form }) => {
      const token = tokenOf(form);
      return token.ok ? service.signIn(token.value) : token;
    },
    signInWithPieces: ({ accountId }) => service.signInWithPieces(accountId),
    cancelSignIn: () => ok(service.cancelSignIn()),
    signInWithBrowser: () => service.signInWithBrowser(),
    cancelBrowserSignIn: () => ok(service.cancelBrowserSignIn()),
    signOut: ({ id }) => withChange(service, () => service.signOut(id)),
    signOutAll: () => service.signOutAll(),
    signOutMany: ({ ids }) => service.signOutMany(ids),
    forgetSignIn: ({ id }) => withChange(service, () => service.forgetSignIn(id)),
    // The details in words (labels, dates, provider names): the window shows them as they come.
    getDetails: async ({ id }) => {
      const profile = await service.details(id);
      return profile.ok ? ok(accountDetails(profile.value)) : profile;
    },
    // The window names an account, never a URL: main fetches only what Pieces OS listed.
    getPicture: async ({ id }) => {
      const url = service.snapshot().accounts.find((a) => a.id === id)?.picture;
      return ok(url ? await pictureOf(url) : null);
    },
    retryConnection: () => withChange(service, () => service.retryNow()),
    dismissNotice: ({ id }) => withChange(service, () => ok(service.dismissNotice(id))),
    getSettings: () => ok(settingsView(settings.get())),
    updateSettings: async (patch) => ok(settingsView(await settings.update(patch))),
    checkSettings: (draft) => ok(settingsPatch(draft, settings.get())),
    confirmPiecesOsAddress: () => confirmAddress(),
    closePalette: () => {
      closePalette();
      return ok(null);
    },
  };
}
