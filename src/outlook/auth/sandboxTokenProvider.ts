import * as z from 'zod';
import { SyncError } from '../../sync/core/errors';
import type { InteractiveTokenProvider } from './tokenProvider';

/** The Graph emulator's answer to POST /sandbox/token (sandbox/graph/README.md). */
const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive().optional(),
});

// Fetch a new token this long before the old one expires, so a request never carries a token
// that dies on the way.
const EXPIRY_MARGIN_MS = 5 * 60_000;
const DEFAULT_LIFETIME_S = 3600;

export interface SandboxTokenProviderOptions {
  readonly tokenUrl: string;
  /** The mailbox to get a token for: the host's signed-in (or demo) mailbox. */
  readonly mailbox: () => string;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

/**
 * Stands in for Entra ID in the sandbox (config `auth.kind: "sandbox"`): the emulator issues a
 * bearer token for a mailbox. Cached per mailbox until shortly before it expires.
 */
export class SandboxTokenProvider implements InteractiveTokenProvider {
  private cached: { mailbox: string; token: string; expiresAt: number } | undefined;

  constructor(private readonly options: SandboxTokenProviderOptions) {}

  async getToken(options: { readonly claims?: string } = {}): Promise<string> {
    const mailbox = this.options.mailbox();
    const now = (this.options.now ?? Date.now)();
    const cached = this.cached;
    // A claims challenge means Graph refused the token we have: never answer it from the cache.
    if (!options.claims && cached && cached.mailbox === mailbox && cached.expiresAt > now) {
      return cached.token;
    }
    const body = await this.request(mailbox);
    const lifetimeMs = (body.expires_in ?? DEFAULT_LIFETIME_S) * 1000;
    this.cached = {
      mailbox,
      token: body.access_token,
      expiresAt: now + Math.max(0, lifetimeMs - EXPIRY_MARGIN_MS),
    };
    return body.access_token;
  }

  /** The emulator never needs a person: signing in is getting a token. */
  async signIn(): Promise<void> {
    await this.getToken();
  }

  private async request(mailbox: string): Promise<z.infer<typeof tokenResponseSchema>> {
    const doFetch = this.options.fetch ?? globalThis.fetch.bind(globalThis);
    let response: Response;
    try {
      response = await doFetch(this.options.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ mailbox }),
      });
    } catch (cause) {
      throw new SyncError('graphSignInFailed', 'The sandbox token endpoint is unreachable', {
        cause,
      });
    }
    if (!response.ok) {
      // The emulator's error body names the problem (e.g. an unknown mailbox); it holds no secret.
      const detail = await response.text().catch(() => '');
      throw new SyncError(
        'graphSignInFailed',
        `The sandbox token endpoint answered ${response.status}: ${detail.slice(0, 200)}`,
      );
    }
    const parsed = tokenResponseSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) {
      throw new SyncError('graphSignInFailed', 'The sandbox token endpoint sent no access token', {
        cause: parsed.error,
      });
    }
    return parsed.data;
  }
}
