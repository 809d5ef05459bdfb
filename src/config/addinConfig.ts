import * as z from 'zod';

/**
 * The add-in's deployment configuration: which Graph, which sign-in, which host stands in when
 * there is no Office host. Chosen at build time (webpack injects `__ADDIN_CONFIG__` from
 * config/<ADDIN_ENV>.json) and validated here, so the sandbox is picked by configuration and
 * never by `if (test)` branches in product code.
 */
export const addinConfigSchema = z.strictObject({
  /**
   * The https origin the add-in's pages are served from: every URL of the generated manifest and
   * its first AppDomain (webpack.config.js, manifest.template.xml).
   */
  addinOrigin: z.url({ protocol: /^https$/ }),
  environment: z.enum(['sandbox', 'production']),
  /** Base URL of Microsoft Graph v1.0, e.g. https://graph.microsoft.com/v1.0. */
  graphBaseUrl: z.url(),
  /** A CRM address to pre-fill in the sign-in form (the person may change it). */
  defaultCrmUrl: z.string().optional(),
  auth: z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('msal'),
      clientId: z.string().min(1),
      authority: z.url(),
    }),
    /** The Graph emulator's token endpoint (sandbox/graph): POST {"mailbox"} → {"access_token"}. */
    z.strictObject({ kind: z.literal('sandbox'), tokenUrl: z.url() }),
  ]),
  /**
   * Where the pane and commands pages load office.js from. Production uses Microsoft's CDN (the
   * only supported source for store add-ins); the sandbox serves the copy from
   * node_modules/@microsoft/office-js under /office-js/ because there is no internet there. A path
   * or an absolute URL. Required: every page needs it, and the build fails without it
   * (a default here went unseen by the build, which read the raw JSON: issue 11).
   */
  officeJsUrl: z.string().min(1),
  /** What stands in when Office.js reports no Office host (a plain browser tab). */
  hostFallback: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('none') }),
    z.strictObject({ kind: z.literal('standalone'), mailbox: z.email() }),
  ]),
});

export type AddinConfig = z.infer<typeof addinConfigSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Validates a raw configuration object; the message names every wrong field. */
export function parseAddinConfig(raw: unknown): AddinConfig {
  const result = addinConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(`Invalid add-in configuration: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}
