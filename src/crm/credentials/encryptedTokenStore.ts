import { Dexie } from 'dexie';
import { normaliseCrmAddress } from '../address';
import type { CrmTokenStore } from '../tokenStore';
import { openSecretsDb, SECRETS_DB_NAME, type SealedRow, type SecretsDb } from './secretsDb';

const KEY_ID = 'refresh-token-key';
const TOKEN_ID = 'crm-refresh-token';
/**
 * The company's CRM API key, kept beside the refresh token for automatic sign-in (SPEC C4): the
 * key is no personal secret, but it is one, and roaming settings are readable by EWS and Graph
 * (REQUIREMENTS.md). It is sealed under the same key, so every wipe of the sign-in takes it too.
 */
export const API_KEY_SLOT = 'crm-api-key';

/**
 * "Remember my sign-in" (SPEC C3): the CRM refresh token encrypted with AES-GCM under a
 * non-extractable WebCrypto key. The key lives in IndexedDB as a CryptoKey object (structured
 * clone keeps it non-extractable), so script can use it but nobody can read its bytes, and what
 * sits on disk is only {iv, ciphertext}. The password is never given to this store.
 */
export class EncryptedTokenStore implements CrmTokenStore {
  private readonly db: SecretsDb;
  // Binds the ciphertext to its purpose: a sealed value copied into another slot will not open,
  // nor one sealed for another CRM address (issue 14).
  private readonly aad: Uint8Array<ArrayBuffer>;

  /**
   * `slot`: which sealed value this store holds (the refresh token unless told). `crmAddress`:
   * the normalised CRM address the value is issued for (see forCrm).
   */
  constructor(
    dbName: string = SECRETS_DB_NAME,
    private readonly subtle: SubtleCrypto = globalThis.crypto.subtle,
    private readonly slot: string = TOKEN_ID,
    crmAddress?: string,
  ) {
    this.db = openSecretsDb(dbName);
    const bound = crmAddress === undefined ? '' : ` for ${crmAddress}`;
    this.aad = new TextEncoder().encode(`crm-sync:${slot}${bound}`);
  }

  /**
   * Issue 14: a store whose sealed value opens only for the CRM address it was saved for. When
   * roaming settings name another address next, `load()` finds a value it cannot open, drops it
   * and answers null (sign in again): the old secrets never reach the new address.
   */
  static forCrm(
    address: string,
    slot: string = TOKEN_ID,
    dbName: string = SECRETS_DB_NAME,
  ): EncryptedTokenStore {
    return new EncryptedTokenStore(
      dbName,
      globalThis.crypto.subtle,
      slot,
      normaliseCrmAddress(address),
    );
  }

  async save(refreshToken: string): Promise<void> {
    const key = await this.key(true);
    if (!key) throw new Error('No encryption key could be created');
    const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
    const ciphertext = await this.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: this.aad },
      key,
      new TextEncoder().encode(refreshToken),
    );
    await this.db.tokens.put({ id: this.slot, iv, ciphertext });
  }

  async load(): Promise<string | null> {
    const sealed = await this.db.tokens.get(this.slot);
    if (!sealed) return null;
    const key = await this.key(false);
    const plain = key ? await this.open(key, sealed) : null;
    // A record we cannot open (key gone, tampered, truncated) is useless: drop it, sign in again.
    if (plain === null) await this.db.tokens.delete(this.slot);
    return plain;
  }

  async clear(): Promise<void> {
    await this.db.transaction('rw', this.db.tokens, this.db.keys, async () => {
      await this.db.tokens.delete(this.slot);
      await this.db.keys.delete(KEY_ID);
    });
  }

  /** Closes the connection (tests, and before the database is deleted). */
  close(): void {
    this.db.close();
  }

  private async open(key: CryptoKey, sealed: SealedRow): Promise<string | null> {
    try {
      const plain = await this.subtle.decrypt(
        { name: 'AES-GCM', iv: sealed.iv, additionalData: this.aad },
        key,
        sealed.ciphertext,
      );
      return new TextDecoder('utf-8', { fatal: true }).decode(plain);
    } catch {
      return null;
    }
  }

  private async key(create: boolean): Promise<CryptoKey | null> {
    const row = await this.db.keys.get(KEY_ID);
    if (row) return row.key;
    if (!create) return null;
    // extractable: false — exportKey/wrapKey refuse it, in this page and after a reload.
    const key = await this.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
      'encrypt',
      'decrypt',
    ]);
    await this.db.keys.put({ id: KEY_ID, key });
    return key;
  }
}

/**
 * Removes every remembered CRM credential from this browser profile: sign-out, unpair and the
 * forced removal (SPEC C5) call it. Deleting the whole database also removes the key, so a copy
 * of an old ciphertext can never be opened again.
 */
export async function wipeLocalCredentials(dbName: string = SECRETS_DB_NAME): Promise<void> {
  await Dexie.delete(dbName);
}
