/**
 * Session lifecycle: sign-in, refresh with rotation, revoke. Only token hashes are stored.
 * Presenting a refresh token that was already rotated means it leaked (or a client raced
 * itself): the whole session is revoked, as OAuth 2.0 Security BCP §4.14 recommends —
 * with one exception (issue 14): the same refresh presented again within REFRESH_RETRY_GRACE_MS,
 * while the pair it was given is still unused, is a client whose answer was lost (a 5xx from a
 * proxy, a dropped connection). It gets a new pair, the unused one is withdrawn, and the session
 * lives on.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/open';
import { problem } from '../http/problem';
import type { Clock } from './clock';
import { newToken, type Passwords, sha256 } from './secrets';
import type { SignInLimiter } from './signInLimits';

export interface SessionConfig {
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
}

export interface IssuedTokens {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
  userId: string;
}

interface TokenRow {
  session_id: string;
  service_mailbox: string | null;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
  user_id: string;
  company_id: string;
}

/** How long after a rotation the old refresh token may be presented again (a lost answer). */
export const REFRESH_RETRY_GRACE_MS = 60_000;

const invalidToken = (detail: string) => problem(401, 'invalid-token', 'Unauthorized', detail);

export class Sessions {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly config: SessionConfig,
    private readonly passwords: Passwords,
    private readonly limiter: SignInLimiter,
  ) {}

  /**
   * Signs a user in. Throttled per user name and per client `address` (429 + Retry-After);
   * the password is checked on the thread pool, so other requests are served meanwhile.
   */
  async signIn(
    companyId: string,
    username: string,
    password: string,
    address: string,
  ): Promise<IssuedTokens> {
    const attempt = this.limiter.begin(companyId, username, address);
    const user = this.db
      .prepare(
        `SELECT u.id, u.password_hash FROM users u LEFT JOIN user_aliases a ON a.user_id = u.id
         WHERE u.company_id = ? AND (u.email = ? OR a.email = ?) LIMIT 1`,
      )
      .get(companyId, username, username) as { id: string; password_hash: string } | undefined;
    // verify() runs scrypt even for an unknown user, so timing does not reveal users.
    const check = await this.passwords.verify(password, user?.password_hash);
    if (!check.ok || !user) {
      throw problem(401, 'invalid-credentials', 'Unauthorized', 'Wrong username or password.');
    }
    attempt.succeeded();
    if (check.rehash) {
      this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(check.rehash, user.id);
    }
    const sessionId = randomUUID();
    this.db
      .prepare('INSERT INTO sessions (id, user_id, created_at) VALUES (?, ?, ?)')
      .run(sessionId, user.id, this.clock.now());
    return this.issue(sessionId, user.id);
  }

  /** `forService`: the call came with the service key (a service session's refresh). */
  refresh(companyId: string, refreshToken: string, forService = false): IssuedTokens {
    const row = this.lookup(refreshToken, 'refresh');
    if (
      !row ||
      row.company_id !== companyId ||
      row.revoked_at !== null ||
      (row.service_mailbox !== null) !== forService
    ) {
      throw invalidToken('The refresh token is unknown or revoked. Sign in again.');
    }
    if (row.used_at !== null && this.retriedAfterLostAnswer(row, refreshToken)) {
      return this.issue(row.session_id, row.user_id);
    }
    if (row.used_at !== null) {
      this.revokeSession(row.session_id);
      throw problem(
        401,
        'refresh-token-reused',
        'Unauthorized',
        'This refresh token was already used; the session is revoked. Sign in again.',
      );
    }
    if (row.expires_at <= this.clock.now()) {
      throw problem(401, 'session-expired', 'Unauthorized', 'The session expired. Sign in again.');
    }
    this.db
      .prepare('UPDATE tokens SET used_at = ? WHERE hash = ?')
      .run(this.clock.now(), sha256(refreshToken));
    return this.issue(row.session_id, row.user_id);
  }

  /** Revokes the session of a refresh token. Unknown tokens are ignored (RFC 7009 §2.2). */
  revoke(companyId: string, refreshToken: string): void {
    const row = this.lookup(refreshToken, 'refresh');
    if (row && row.company_id === companyId) this.revokeSession(row.session_id);
  }

  /**
   * Issue 17: a session for the company's sync service, acting for the user `mailbox` is paired
   * with — opened with the service key, never a password. The caller has checked that the
   * service may act for it (http/auth.ts assertServiceMayAct); every call checks it again.
   */
  openServiceSession(mailbox: string, userId: string): IssuedTokens {
    const sessionId = randomUUID();
    this.db
      .prepare(
        'INSERT INTO sessions (id, user_id, created_at, service_mailbox) VALUES (?, ?, ?, ?)',
      )
      .run(sessionId, userId, this.clock.now(), mailbox.toLowerCase());
    return this.issue(sessionId, userId);
  }

  /**
   * Resolves an access token to its user (and, for a service session, the mailbox it acts for),
   * or throws the 401 the client should see.
   */
  authenticate(
    companyId: string,
    accessToken: string,
  ): { userId: string; serviceMailbox: string | null } {
    const row = this.lookup(accessToken, 'access');
    if (!row || row.company_id !== companyId || row.revoked_at !== null) {
      throw invalidToken('The access token is unknown or revoked.');
    }
    if (row.expires_at <= this.clock.now()) {
      throw problem(
        401,
        'token-expired',
        'Unauthorized',
        'The access token expired. Refresh the session.',
      );
    }
    return { userId: row.user_id, serviceMailbox: row.service_mailbox };
  }

  private lookup(token: string, kind: 'access' | 'refresh'): TokenRow | undefined {
    return this.db
      .prepare(
        `SELECT t.session_id, t.expires_at, t.used_at, s.revoked_at, s.user_id, u.company_id,
           s.service_mailbox
         FROM tokens t JOIN sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id
         WHERE t.hash = ? AND t.kind = ?`,
      )
      .get(sha256(token), kind) as TokenRow | undefined;
  }

  /**
   * A repeat of the session's last refresh, inside the grace, whose answer (one access and one
   * refresh token, the refresh token unused) is all the session issued since: that pair is
   * withdrawn (one live pair per session) and true is returned. Any other reuse — later, or after
   * the new refresh token was used — is a leak: false.
   */
  private retriedAfterLostAnswer(row: TokenRow, refreshToken: string): boolean {
    if (row.used_at === null || this.clock.now() - row.used_at > REFRESH_RETRY_GRACE_MS) {
      return false;
    }
    const after = `session_id = ? AND rowid > (SELECT rowid FROM tokens WHERE hash = ?)`;
    const later = this.db
      .prepare(`SELECT kind, used_at FROM tokens WHERE ${after}`)
      .all(row.session_id, sha256(refreshToken)) as { kind: string; used_at: number | null }[];
    const unusedPair =
      later.length === 2 && later.every((t) => t.kind === 'access' || t.used_at === null);
    if (!unusedPair) return false;
    this.db.prepare(`DELETE FROM tokens WHERE ${after}`).run(row.session_id, sha256(refreshToken));
    return true;
  }

  private revokeSession(sessionId: string): void {
    this.db
      .prepare('UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
      .run(this.clock.now(), sessionId);
  }

  private issue(sessionId: string, userId: string): IssuedTokens {
    const now = this.clock.now();
    const accessToken = newToken('at_');
    const refreshToken = newToken('rt_');
    const insert = this.db.prepare(
      'INSERT INTO tokens (hash, session_id, kind, expires_at) VALUES (?, ?, ?, ?)',
    );
    insert.run(sha256(accessToken), sessionId, 'access', now + this.config.accessTtlSeconds * 1000);
    insert.run(
      sha256(refreshToken),
      sessionId,
      'refresh',
      now + this.config.refreshTtlSeconds * 1000,
    );
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.config.accessTtlSeconds,
      refreshToken,
      refreshExpiresIn: this.config.refreshTtlSeconds,
      userId,
    };
  }
}
