/**
 * Where "Remember my sign-in" (SPEC C3) keeps the CRM refresh token. The password is never
 * stored anywhere; the access token lives in memory only. The real store encrypts at rest
 * (AES-GCM under a non-extractable WebCrypto key kept in IndexedDB); sign-out and unpair wipe it.
 */
export interface CrmTokenStore {
  /** The remembered refresh token, or null. */
  load(): Promise<string | null>;
  /** Remembers (replaces) the refresh token; called again after every rotation. */
  save(refreshToken: string): Promise<void>;
  /** Forgets the token and the key that protected it. */
  clear(): Promise<void>;
}
