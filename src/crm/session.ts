/**
 * A signed-in CRM session (SPEC C1–C3, E4). The password goes into one POST /sessions and is not
 * kept; the access token lives in this object only; the refresh token is kept in memory and, when
 * "Remember my sign-in" is on, in the CrmTokenStore (saved again after every rotation).
 */
import { SyncError } from '../sync/core/errors';
import { normaliseCrmAddress } from './address';
import { type CrmAuth, CrmHttp, type CrmHttpOptions } from './http';
import { crossPaneLocks, type ExclusiveLocks } from './refreshLock';
import { SessionTokensSchema } from './schemas';
import type { CrmTokenStore } from './tokenStore';

/** Transport knobs for tests: fetch, sleep, random, attempts. */
export type CrmTransport = Omit<CrmHttpOptions, 'address' | 'apiKey'>;

export interface CrmConnection {
  readonly address: string;
  readonly apiKey: string;
  readonly tokenStore: CrmTokenStore;
  readonly transport?: CrmTransport;
  /** Clock for token expiry. Default Date.now. */
  readonly now?: () => number;
  /** Issue 14: the lock every runtime of the origin refreshes under. Default crossPaneLocks(). */
  readonly locks?: ExclusiveLocks;
}

export interface SignInInput extends CrmConnection {
  readonly username: string;
  readonly password: string;
  /** SPEC C3: keep the refresh token for automatic sign-in. */
  readonly remember: boolean;
}

type Tokens = { accessToken: string; refreshToken: string; expiresIn: number; userId: string };

/** Refresh this long before the server's expiry, so a call does not race the deadline. */
const EXPIRY_SKEW_MS = 30_000;

export class CrmSession implements CrmAuth {
  readonly http: CrmHttp;
  private access = '';
  private refreshToken = '';
  private expiresAtMs = 0;
  private refreshing: Promise<string> | null = null;
  userId = '';

  private constructor(
    private readonly conn: CrmConnection,
    private readonly remember: boolean,
    private readonly now: () => number,
  ) {
    this.http = new CrmHttp({ ...conn.transport, address: conn.address, apiKey: conn.apiKey });
  }

  /** SPEC C2: each failure maps to its own code (wrongApiKey, wrongCredentials, tlsFailure…). */
  static async signIn(input: SignInInput): Promise<CrmSession> {
    const { username, password, remember, ...rest } = input;
    const conn = { ...rest, address: normaliseCrmAddress(rest.address) };
    const session = new CrmSession(conn, remember, conn.now ?? Date.now);
    const tokens = await session.http.call({
      method: 'POST',
      path: '/sessions',
      body: { username, password },
      schema: SessionTokensSchema,
      auth: null,
    });
    await session.adopt(tokens);
    if (!remember) await conn.tokenStore.clear(); // SPEC C3: nothing remembered when off
    return session;
  }

  /** Automatic sign-in from a remembered refresh token (SPEC C3, C4); null when none is kept. */
  static async resume(conn: CrmConnection): Promise<CrmSession | null> {
    const stored = await conn.tokenStore.load();
    if (stored === null) return null;
    const normalised = { ...conn, address: normaliseCrmAddress(conn.address) };
    const session = new CrmSession(normalised, true, conn.now ?? Date.now);
    session.refreshToken = stored;
    await session.refresh();
    return session;
  }

  get address(): string {
    return this.conn.address;
  }

  /**
   * The company's API key this session signs its calls with: the pane shows it to the company's
   * own sync service, which checks it with the CRM (issue 17, item 6).
   */
  get apiKey(): string {
    return this.conn.apiKey;
  }

  async accessToken(): Promise<string> {
    if (this.refreshing) return this.refreshing;
    if (this.now() >= this.expiresAtMs - EXPIRY_SKEW_MS) return this.refresh();
    return this.access;
  }

  async refreshAfterExpiry(stale: string): Promise<string> {
    if (this.refreshing) return this.refreshing;
    // Another call already refreshed while this one was in flight.
    if (stale !== this.access && this.access !== '') return this.access;
    return this.refresh();
  }

  /**
   * Single-flight: concurrent callers share one POST /sessions/refresh (tokens rotate). Issue 14:
   * and one at a time across every pane of the origin (refreshLock.ts), each starting from the
   * refresh token another pane may have rotated and remembered meanwhile.
   */
  private refresh(): Promise<string> {
    const locks = this.conn.locks ?? crossPaneLocks();
    this.refreshing ??= locks
      .run(`crm-sync:refresh:${this.conn.address}`, () => this.doRefresh())
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  private async doRefresh(): Promise<string> {
    if (this.remember) {
      // Another pane refreshed first: its rotation made ours stale, and it remembered the new one.
      const stored = await this.conn.tokenStore.load();
      if (stored !== null) this.refreshToken = stored;
    }
    if (this.refreshToken === '') throw new SyncError('sessionExpired', 'Not signed in');
    try {
      const tokens = await this.http.call({
        method: 'POST',
        path: '/sessions/refresh',
        body: { refreshToken: this.refreshToken },
        schema: SessionTokensSchema,
        auth: null,
        // A repeat after a lost answer (a 5xx, a dropped connection) presents the rotated token
        // again: the contract honours it within its retry grace while the new pair is unused
        // (docs/crm-sync-api.yaml, /sessions/refresh), so the session is not revoked.
        retryOnDrop: true,
      });
      await this.adopt(tokens);
      return this.access;
    } catch (err) {
      if (err instanceof SyncError && err.kind === 'auth') {
        // SPEC E4: the session is gone; ask the person to sign in again.
        this.forget();
        if (this.remember) await this.conn.tokenStore.clear();
        throw new SyncError('sessionExpired', 'The CRM session ended', { cause: err });
      }
      throw err;
    }
  }

  private async adopt(tokens: Tokens): Promise<void> {
    this.access = tokens.accessToken;
    this.refreshToken = tokens.refreshToken;
    this.expiresAtMs = this.now() + tokens.expiresIn * 1000;
    this.userId = tokens.userId;
    if (this.remember) await this.conn.tokenStore.save(tokens.refreshToken);
  }

  private forget(): void {
    this.access = '';
    this.refreshToken = '';
    this.expiresAtMs = 0;
  }

  /** Revokes the session on the server (best effort) and forgets every token. */
  async signOut(): Promise<void> {
    const token = this.refreshToken;
    this.forget();
    try {
      if (token !== '') {
        await this.http.call({
          method: 'POST',
          path: '/sessions/revoke',
          body: { refreshToken: token },
          schema: null,
          auth: null,
        });
      }
    } finally {
      await this.conn.tokenStore.clear();
    }
  }
}
