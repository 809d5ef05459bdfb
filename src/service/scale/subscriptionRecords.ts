/**
 * The mailboxes' Graph subscriptions kept in PostgreSQL (issue 18): any worker behind the load
 * balancer may receive a notification, so every worker must know each subscription's id and its
 * clientState (the secret Graph echoes, concepts/change-notifications-delivery-webhooks.md), and
 * any worker may run the scheduled renewal. The clientState is a secret shared by the workers: it
 * lives in the same database as the sync state, never in a log.
 */
import type { Pool } from 'pg';
import type { SubscriptionRecord, SubscriptionRecords } from '../graph/subscriptionOptions';
import { SCHEMA } from './schema';

export class PgSubscriptionRecords implements SubscriptionRecords {
  constructor(private readonly pool: Pool) {}

  async save(record: SubscriptionRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${SCHEMA}.subscriptions (mailbox, subscription_id, client_state, expires_at)
       VALUES ($1, $2, $3, to_timestamp($4::double precision / 1000))
       ON CONFLICT (mailbox) DO UPDATE SET subscription_id = $2, client_state = $3,
         expires_at = to_timestamp($4::double precision / 1000)`,
      [record.mailboxId, record.id, record.clientState, record.expiresAt],
    );
  }

  async remove(mailboxId: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${SCHEMA}.subscriptions WHERE mailbox = $1`, [mailboxId]);
  }

  async all(): Promise<SubscriptionRecord[]> {
    const rows = await this.pool.query<{
      mailbox: string;
      subscription_id: string;
      client_state: string;
      expires_at: Date;
    }>(`SELECT mailbox, subscription_id, client_state, expires_at FROM ${SCHEMA}.subscriptions`);
    return rows.rows.map((r) => ({
      mailboxId: r.mailbox,
      id: r.subscription_id,
      clientState: r.client_state,
      expiresAt: r.expires_at.getTime(),
    }));
  }
}
