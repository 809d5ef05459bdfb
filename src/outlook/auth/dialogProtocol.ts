import * as z from 'zod';

/**
 * What the sign-in dialog page (authDialogPage.ts) sends back to the pane with
 * `Office.context.ui.messageParent`. Checked on arrival like any other inbound payload.
 */
export const dialogMessageSchema = z.discriminatedUnion('status', [
  z.strictObject({
    status: z.literal('success'),
    accessToken: z.string().min(1),
    /** Epoch milliseconds. */
    expiresOn: z.number(),
  }),
  z.strictObject({
    status: z.literal('failure'),
    reason: z.enum(['consentRequired', 'cancelled', 'failed']),
    /** MSAL's error code, for the log; never its message (it may name the account). */
    errorCode: z.string().max(100).optional(),
  }),
]);

export type DialogMessage = z.infer<typeof dialogMessageSchema>;

/** The query parameter that carries a Graph claims challenge into the dialog. */
export const CLAIMS_PARAM = 'claims';

/** The query parameter that carries the mailbox address, MSAL's loginHint, into the dialog. */
export const LOGIN_HINT_PARAM = 'login_hint';
