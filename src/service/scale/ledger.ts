/**
 * What the workers record in PostgreSQL about runs (issue 18): the run log (every run's start and
 * end, by which process — what "no mailbox ever has two runs at once" is asserted from), each
 * mailbox's health (consecutive failures, quarantine, the last outcome and the brake's question)
 * and the figures the metrics and the status API read. Codes, states and counts only: never a
 * subject, a token or a key.
 */
import type { Pool } from 'pg';
import * as z from 'zod';
import type { RunOutcome } from '../../sync/engine/run';
import type { RunTrigger, ServiceRunOutcome } from '../control';
import { outcomeJson } from '../mailboxEngine';
import { SCHEMA } from './schema';

/** Runs in a row that fail as a whole before the mailbox is set aside (issue 18: "keeps failing"). */
export const QUARANTINE_AFTER = 5;

const HealthRow = z.object({
  mailbox: z.string(),
  consecutive_failures: z.number().int(),
  last_code: z.string().nullable(),
  last_failure_at: z.date().nullable(),
  quarantined_at: z.date().nullable(),
  last_done_at: z.date().nullable(),
  last_outcome: z.unknown().nullable(),
  last_trigger: z.string().nullable(),
  brake: z.unknown().nullable(),
});
export type MailboxHealth = z.infer<typeof HealthRow>;

export interface OverlapRow {
  readonly mailbox: string;
  readonly first: string;
  readonly second: string;
}

export class Ledger {
  constructor(private readonly pool: Pool) {}

  async startRun(
    mailbox: string,
    processId: string,
    trigger: RunTrigger,
    signalAt: Date | null,
  ): Promise<number> {
    const row = await this.pool.query<{ id: string }>(
      `INSERT INTO ${SCHEMA}.runs (mailbox, process_id, trigger, signal_at)
       VALUES ($1, $2, $3, $4) RETURNING id`,
      [mailbox, processId, trigger, signalAt],
    );
    return Number(row.rows[0]?.id);
  }

  async endRun(id: number, outcome: RunOutcome | null): Promise<void> {
    await this.pool.query(
      `UPDATE ${SCHEMA}.runs SET ended_at = clock_timestamp(), outcome = $2, code = $3
        WHERE id = $1`,
      [id, outcome?.state ?? 'crashed', outcome?.state === 'failed' ? outcome.error.code : null],
    );
  }

  /**
   * A stopping process hands its runs back (graceful shutdown past its bound): they close in the
   * log as `handedBack` *before* their jobs are unlocked, so the run another worker starts next
   * never appears to overlap them (it waits for the mailbox's run lock, which goes when this
   * process exits).
   */
  async handBack(processId: string): Promise<void> {
    await this.pool.query(
      `UPDATE ${SCHEMA}.runs SET ended_at = clock_timestamp(), outcome = 'handedBack'
        WHERE process_id = $1 AND ended_at IS NULL`,
      [processId],
    );
  }

  /**
   * Records a run's outcome in the mailbox's health; answers the consecutive failures after it
   * and whether this one set the mailbox aside.
   */
  async recordOutcome(
    mailbox: string,
    trigger: RunTrigger,
    outcome: RunOutcome,
  ): Promise<{ failures: number; quarantined: boolean }> {
    const json: ServiceRunOutcome = outcomeJson(outcome);
    if (outcome.state === 'failed') {
      const row = await this.pool.query<{ consecutive_failures: number }>(
        `INSERT INTO ${SCHEMA}.mailbox_health AS h
           (mailbox, consecutive_failures, last_code, last_failure_at, last_outcome, last_trigger)
         VALUES ($1, 1, $2, now(), $3, $4)
         ON CONFLICT (mailbox) DO UPDATE SET
           consecutive_failures = h.consecutive_failures + 1,
           last_code = $2, last_failure_at = now(), last_outcome = $3, last_trigger = $4,
           quarantined_at = CASE
             WHEN h.quarantined_at IS NULL AND h.consecutive_failures + 1 >= $5 THEN now()
             ELSE h.quarantined_at END
         RETURNING consecutive_failures`,
        [mailbox, outcome.error.code, JSON.stringify(json), trigger, QUARANTINE_AFTER],
      );
      const failures = row.rows[0]?.consecutive_failures ?? 1;
      return { failures, quarantined: failures >= QUARANTINE_AFTER };
    }
    await this.pool.query(
      `INSERT INTO ${SCHEMA}.mailbox_health AS h
         (mailbox, last_done_at, last_outcome, last_trigger, brake)
       VALUES ($1, CASE WHEN $2 = 'done' THEN now() END, $3, $4, $5)
       ON CONFLICT (mailbox) DO UPDATE SET
         consecutive_failures = CASE WHEN $2 = 'busy' THEN h.consecutive_failures ELSE 0 END,
         quarantined_at = CASE WHEN $2 = 'busy' THEN h.quarantined_at END,
         last_done_at = CASE WHEN $2 = 'done' THEN now() ELSE h.last_done_at END,
         last_outcome = $3, last_trigger = $4,
         brake = CASE WHEN $2 = 'busy' THEN h.brake ELSE $5 END`,
      [
        mailbox,
        outcome.state,
        JSON.stringify(json),
        trigger,
        json.state === 'braked' ? JSON.stringify(json.asked) : null,
      ],
    );
    return { failures: 0, quarantined: false };
  }

  async health(mailbox: string): Promise<MailboxHealth | null> {
    const row = await this.pool.query(`SELECT * FROM ${SCHEMA}.mailbox_health WHERE mailbox = $1`, [
      mailbox,
    ]);
    return row.rows[0] === undefined ? null : HealthRow.parse(row.rows[0]);
  }

  /** The person's "Sync now" (or an operator) lifts the quarantine: runs are tried again. */
  async release(mailbox: string): Promise<void> {
    await this.pool.query(
      `UPDATE ${SCHEMA}.mailbox_health SET quarantined_at = NULL, consecutive_failures = 0
        WHERE mailbox = $1`,
      [mailbox],
    );
  }

  /** The brake's question answered or dismissed: regular runs resume. */
  async clearBrake(mailbox: string): Promise<void> {
    await this.pool.query(`UPDATE ${SCHEMA}.mailbox_health SET brake = NULL WHERE mailbox = $1`, [
      mailbox,
    ]);
  }

  /** Whether a run of the mailbox is going on now (an open row of a live process). */
  async running(mailbox: string): Promise<boolean> {
    const row = await this.pool.query(
      `SELECT 1 FROM ${SCHEMA}.runs WHERE mailbox = $1 AND ended_at IS NULL LIMIT 1`,
      [mailbox],
    );
    return (row.rowCount ?? 0) > 0;
  }

  /** The mailboxes in the order a safety poll visits them: longest unsynced first. */
  async fairOrder(mailboxes: readonly string[]): Promise<string[]> {
    const rows = await this.pool.query<{ mailbox: string }>(
      `SELECT m.mailbox FROM unnest($1::text[]) AS m(mailbox)
         LEFT JOIN ${SCHEMA}.mailbox_health h ON h.mailbox = m.mailbox
        ORDER BY h.last_done_at ASC NULLS FIRST, m.mailbox`,
      [mailboxes],
    );
    return rows.rows.map((r) => r.mailbox);
  }

  async quarantinedCount(): Promise<number> {
    const row = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${SCHEMA}.mailbox_health WHERE quarantined_at IS NOT NULL`,
    );
    return Number(row.rows[0]?.n ?? 0);
  }

  /** Runs that ended in the last minute, by outcome (every worker's: the cluster's rate). */
  async lastMinute(): Promise<Record<string, number>> {
    const rows = await this.pool.query<{ outcome: string; n: string }>(
      `SELECT outcome, count(*) AS n FROM ${SCHEMA}.runs
        WHERE ended_at > now() - interval '1 minute' GROUP BY outcome`,
    );
    return Object.fromEntries(rows.rows.map((r) => [r.outcome, Number(r.n)]));
  }

  /** Pairs of runs of one mailbox whose times overlap (the run log's proof; should be none). */
  async overlaps(): Promise<OverlapRow[]> {
    const rows = await this.pool.query<{ mailbox: string; first: string; second: string }>(
      `SELECT a.mailbox, a.id::text AS first, b.id::text AS second
         FROM ${SCHEMA}.runs a JOIN ${SCHEMA}.runs b
           ON a.mailbox = b.mailbox AND a.id < b.id
          AND b.started_at < coalesce(a.ended_at, 'infinity')
          AND a.started_at < coalesce(b.ended_at, 'infinity')`,
    );
    return rows.rows;
  }
}
