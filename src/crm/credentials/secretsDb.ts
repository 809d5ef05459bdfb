import { Dexie, type EntityTable } from 'dexie';

/**
 * The small IndexedDB database that holds the remembered CRM sign-in (SPEC C3). It is kept apart
 * from the sync database so that sign-out, unpair and forced removal (SPEC C5) can delete it
 * whole without touching sync state.
 */
export const SECRETS_DB_NAME = 'crm-sync-secrets';

/** The one wrapping key: a non-extractable AES-GCM CryptoKey, stored as the object itself. */
export interface KeyRow {
  readonly id: string;
  readonly key: CryptoKey;
}

/** An encrypted refresh token: never the token itself. */
export interface SealedRow {
  readonly id: string;
  /** 96-bit IV, fresh for every save (GCM must never reuse an IV under one key). */
  readonly iv: Uint8Array<ArrayBuffer>;
  readonly ciphertext: ArrayBuffer;
}

/** Every version stays listed when a new one is added (Dexie upgrades from any old version). */
export const SECRETS_SCHEMA_V1 = { keys: 'id', tokens: 'id' } as const;

export type SecretsDb = Dexie & {
  keys: EntityTable<KeyRow, 'id'>;
  tokens: EntityTable<SealedRow, 'id'>;
};

export function openSecretsDb(name: string = SECRETS_DB_NAME): SecretsDb {
  const db = new Dexie(name) as SecretsDb;
  db.version(1).stores(SECRETS_SCHEMA_V1);
  return db;
}
