/**
 * Who is asking (issue 17, item 6; docs/DEPLOY.md "The pane and the service"): the pane sends the
 * credential it already holds for the CRM — the company's `outlook` API key (`X-Api-Key`) and the
 * person's CRM access token (`Authorization: Bearer`) — and the service asks ITS OWN configured
 * CRM whose they are: `GET /pairing` answers the mailbox paired with the token's user (SPEC C5,
 * C6: the CRM only pairs a user with their own address). That mailbox is the only one the caller
 * is answered for. The CRM address never comes from the request: a caller cannot name a CRM that
 * vouches for anyone.
 *
 * The answer is cached for a short while (keyed by a hash of both credentials, never the
 * credentials themselves), so a pane polling every few seconds does not cost a CRM call each time;
 * a token the CRM revokes stops working here within VERIFY_TTL_MS.
 */
import { createHash } from 'node:crypto';
import { CrmDirectory } from '../../crm/crmDirectory';
import { CrmHttp } from '../../crm/http';
import { SyncError } from '../../sync/core/errors';

/** How long a verified credential is trusted without asking the CRM again. */
export const VERIFY_TTL_MS = 60_000;
/** At most this many verified credentials are remembered (the oldest go first). */
const MAX_CACHED = 1_000;

export interface Caller {
  /** The caller's own mailbox: lower-cased SMTP address (control.ts's mailbox id). */
  readonly mailboxId: string;
}

/** Why a caller was not let in; the API answers each with its own problem. */
export class CallerRejected extends Error {
  override readonly name = 'CallerRejected';
  constructor(
    readonly reason: 'noCredential' | 'badCredential' | 'notPaired' | 'crmUnavailable',
    options?: { cause?: unknown },
  ) {
    super(`The caller was not verified: ${reason}`, options);
  }
}

export interface CallerCredential {
  readonly apiKey: string;
  readonly accessToken: string;
}

export type VerifyCaller = (credential: CallerCredential) => Promise<Caller>;

export interface CrmVerifierOptions {
  /** The CRM the service syncs with (its configuration), e.g. `https://crm.example.com`. */
  readonly crmAddress: string;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  readonly ttlMs?: number;
}

const digest = (c: CallerCredential) =>
  createHash('sha256').update(c.apiKey).update('\0').update(c.accessToken).digest('hex');

/** Verifies a credential against the service's CRM (GET /pairing), with a short cache. */
export function crmVerifier(options: CrmVerifierOptions): VerifyCaller {
  const now = options.now ?? Date.now;
  const ttl = options.ttlMs ?? VERIFY_TTL_MS;
  const cache = new Map<string, { readonly caller: Caller; readonly until: number }>();

  async function ask(credential: CallerCredential): Promise<Caller> {
    const http = new CrmHttp({
      address: options.crmAddress,
      apiKey: credential.apiKey,
      // A person is waiting on the pane: two tries, ten seconds each, then "not reachable".
      maxAttempts: 2,
      timeoutMs: 10_000,
      maxRetryAfterMs: 2_000,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    const directory = new CrmDirectory({
      http,
      accessToken: async () => credential.accessToken,
      // The pane refreshes its own token; an expired one is simply not let in.
      refreshAfterExpiry: async () => {
        throw new CallerRejected('badCredential');
      },
    });
    let pairing;
    try {
      pairing = await directory.pairing();
    } catch (error) {
      if (error instanceof CallerRejected) throw error;
      if (error instanceof SyncError && (error.kind === 'auth' || error.kind === 'forbidden')) {
        throw new CallerRejected('badCredential', { cause: error });
      }
      throw new CallerRejected('crmUnavailable', { cause: error });
    }
    if (pairing === null) throw new CallerRejected('notPaired');
    return { mailboxId: pairing.mailbox.trim().toLowerCase() };
  }

  return async (credential) => {
    if (credential.apiKey === '' || credential.accessToken === '') {
      throw new CallerRejected('noCredential');
    }
    const key = digest(credential);
    const hit = cache.get(key);
    const at = now();
    if (hit && hit.until > at) return hit.caller;
    cache.delete(key);
    const caller = await ask(credential);
    if (cache.size >= MAX_CACHED) {
      // Maps iterate in insertion order: the first key is the oldest.
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(key, { caller, until: at + ttl });
    return caller;
  };
}
