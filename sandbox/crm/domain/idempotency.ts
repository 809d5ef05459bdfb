/**
 * Idempotency-Key handling for creates (the add-in's outbox replays writes after a crash;
 * DESIGN "Crash safety"). Keys are scoped per user and remembered for 24 hours. The same key
 * with the same body replays the first response; with another body it is a client bug (422).
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/open';
import { problem } from '../http/problem';
import type { Clock } from './clock';

const KEEP_MS = 24 * 3_600_000;

export interface StoredResponse {
  status: number;
  body: string;
  etag: string | null;
  location: string | null;
}

/** Canonical JSON (sorted keys) so key order in the body does not matter. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const requestHash = (body: unknown): string =>
  createHash('sha256').update(canonical(body)).digest('hex');

export class IdempotencyStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** The stored response to replay, or undefined when the key is new. */
  find(userId: string, key: string, hash: string): StoredResponse | undefined {
    this.db
      .prepare('DELETE FROM idempotency_keys WHERE created_at < ?')
      .run(this.clock.now() - KEEP_MS);
    const row = this.db
      .prepare('SELECT * FROM idempotency_keys WHERE user_id = ? AND key = ?')
      .get(userId, key) as (StoredResponse & { request_hash: string }) | undefined;
    if (!row) return undefined;
    if (row.request_hash !== hash) {
      throw problem(
        422,
        'idempotency-key-reused',
        'Idempotency key reused',
        'This Idempotency-Key was already used with a different request body.',
      );
    }
    return { status: row.status, body: row.body, etag: row.etag, location: row.location };
  }

  save(userId: string, key: string, hash: string, response: StoredResponse): void {
    this.db
      .prepare(
        `INSERT INTO idempotency_keys (user_id, key, request_hash, status, body, etag, location,
         created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        userId,
        key,
        hash,
        response.status,
        response.body,
        response.etag,
        response.location,
        this.clock.now(),
      );
  }
}
