import { z } from 'zod';
import type { ArgsOf, InvokeChannel } from '../../shared/contract';
import { isShortcutText } from '../../shared/accelerator';
import { oauthProviderSchema } from '../auth/provider';
import { isLocalHttpUrl } from '../pieces/local-url';
import { USER_ID_PATTERN } from '../pieces/wire';

// Runtime shapes of every channel's argument. Strict objects: an unknown key (including
// `__proto__` from a crafted payload) is refused, never merged into anything.
// The same shape the client accepts from Pieces OS: any non-empty string up to 256 characters
// without control characters (Pieces OS ids are UUIDs, the spec says string).
const userId = z
  .string()
  .regex(USER_ID_PATTERN, 'must be a user id (1 to 256 characters, no control characters)');
const idArg = z.strictObject({ id: userId });
const none = z.undefined();
const text = (max: number) => z.string().max(max);

export const oauthTokenSchema = z.strictObject({
  access_token: z.string().min(1, 'is required').max(16_384),
  token_type: z.enum(['Bearer', 'UNKNOWN']),
  expires_in: z
    .number()
    .int()
    .min(0)
    .max(10 * 365 * 24 * 3600),
  scope: text(4_096).optional(),
  refresh_token: text(16_384).optional(),
  id_token: text(16_384).optional(),
});

/** The forms' text as typed: bounded, and checked field by field by the forms' own checks. */
const typed = text(100_000);

const tokenForm = z.union([
  z.strictObject({ json: typed }),
  z.strictObject({
    fields: z.strictObject({ accessToken: typed, tokenType: typed, expiresIn: typed }),
  }),
]);

const settingsDraft = z.strictObject({
  piecesOsUrl: typed,
  requestTimeoutSeconds: typed,
  signInTimeoutSeconds: typed,
  theme: z.enum(['system', 'light', 'dark']),
  closeToTray: z.boolean(),
  notifications: z.boolean(),
  launchAtLogin: z.boolean(),
  allowPlaintextTokens: z.boolean(),
  providerIssuer: typed,
  providerClientId: typed,
  providerScopes: typed,
  quickSwitchShortcut: typed,
});

const settingsPatch = z.strictObject({
  piecesOsUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .max(2_048)
    // Saved tokens are sent there: only an address on this computer.
    .refine(isLocalHttpUrl, 'must be on this computer (localhost or 127.0.0.1)')
    .nullable()
    .optional(),
  requestTimeoutMs: z.number().int().min(500).max(60_000).optional(),
  closeToTray: z.boolean().optional(),
  theme: z.enum(['system', 'light', 'dark']).optional(),
  notifications: z.boolean().optional(),
  launchAtLogin: z.boolean().optional(),
  allowPlaintextTokens: z.boolean().optional(),
  signInTimeoutMs: z
    .number()
    .int()
    .min(30_000)
    .max(15 * 60_000)
    .optional(),
  oauthProvider: oauthProviderSchema.nullable().optional(),
  quickSwitchShortcut: z
    .string()
    .max(100)
    .refine(isShortcutText, 'must be a shortcut like CommandOrControl+Alt+P, or empty for none')
    .optional(),
});

export const argSchemas = {
  getState: none,
  switchTo: idArg,
  signIn: z.strictObject({ form: tokenForm }),
  signInWithPieces: z.strictObject({ accountId: userId.optional() }),
  cancelSignIn: none,
  signInWithBrowser: none,
  cancelBrowserSignIn: none,
  signOut: idArg,
  signOutAll: none,
  signOutMany: z.strictObject({ ids: z.array(userId).min(1).max(100_000) }),
  forgetSignIn: idArg,
  getDetails: idArg,
  getPicture: idArg,
  retryConnection: none,
  dismissNotice: z.strictObject({ id: text(200) }),
  getSettings: none,
  updateSettings: settingsPatch,
  checkSettings: settingsDraft,
  confirmPiecesOsAddress: none,
  closePalette: none,
} satisfies { [C in InvokeChannel]: z.ZodType<ArgsOf<C>> };
