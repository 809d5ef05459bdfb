/**
 * The mailbox runs as graphile-worker jobs (issue 18, item 2; docs/ARCHITECTURE.md says why
 * graphile-worker rather than pg-boss). One job identifier, `sync_mailbox`, and per mailbox:
 *
 * - a named queue `mailbox:<address>` — graphile-worker runs a named queue's jobs one at a time
 *   across every worker (worker.graphile.org "Named queues"; its `localQueue` must stay off,
 *   graphile/worker#621), so runs of one mailbox never overlap;
 * - a job key `sync:<address>` — a burst coalesces into the one pending job (job_key "replace"
 *   semantics, array payloads merged: each signal's trigger and time are kept), and a signal
 *   during a run adds exactly one follow-up (a running job's key is cleared, a new job made);
 * - `preserve_run_at`: the first signal of a burst sets when it runs (plus a short debounce); a
 *   mailbox that failed waits its backoff (retryBaseMs doubled per failure in a row, at most 6 h)
 *   even when signals keep coming. The backoff is ours, not graphile-worker's job retry: a job
 *   replaced by a new signal starts its attempts at 0 again (add_jobs), which would make a
 *   failing mailbox that keeps getting notifications retry at once, every time;
 * - the safety poll's job only when none is pending or running (`unsafe_dedupe`: a run that is
 *   going on covers the poll), at a lower priority than signals.
 */
import { Logger } from 'graphile-worker';
import type { Pool } from 'pg';
import * as z from 'zod';
import { BrakeConfirmationSchema, RunTriggerSchema } from '../../shared/serviceApi';
import type { BrakeConfirmation } from '../../sync/core/plan/brake';
import type { RunTrigger } from '../control';
import { SCHEMA } from './schema';

export const SYNC_TASK = 'sync_mailbox';
export const POLL_TASK = 'safety_poll';
export const RENEW_TASK = 'renew_subscriptions';

export const queueNameOf = (mailbox: string) => `mailbox:${mailbox}`;
export const jobKeyOf = (mailbox: string) => `sync:${mailbox}`;

/** One signal that asked for a run (a job's payload is a list of them, merged by the queue). */
export const SignalSchema = z.object({
  mailbox: z.string().min(1).max(320),
  trigger: RunTriggerSchema,
  /** When the signal arrived (ISO): notification → CRM latency is measured from it. */
  at: z.string().min(1),
  confirmation: z.array(BrakeConfirmationSchema).max(10).optional(),
});
export type Signal = z.infer<typeof SignalSchema>;

/** A job's payload: one signal, or the merged list of a burst. */
export function signalsOf(payload: unknown): Signal[] {
  const list = z
    .union([z.array(SignalSchema).min(1), SignalSchema.transform((s) => [s])])
    .safeParse(payload);
  if (!list.success) throw new Error('sync_mailbox: the job payload is not a list of signals');
  return list.data;
}

/** What a run is recorded as when signals coalesced: the person's ask first, the poll last. */
const RANK: readonly RunTrigger[] = [
  'brakeConfirmed',
  'syncNow',
  'resync',
  'notification',
  'crmChange',
  'start',
  'poll',
];
export function triggerOf(signals: readonly Signal[]): RunTrigger {
  let best: RunTrigger = 'poll';
  for (const s of signals) if (RANK.indexOf(s.trigger) < RANK.indexOf(best)) best = s.trigger;
  return best;
}

/** The earliest change signal's time (a notification or the CRM's): latency is measured from it. */
export function signalTime(signals: readonly Signal[]): Date | null {
  const times = signals
    .filter((s) => s.trigger === 'notification' || s.trigger === 'crmChange')
    .map((s) => Date.parse(s.at))
    .filter((t) => !Number.isNaN(t));
  return times.length === 0 ? null : new Date(Math.min(...times));
}

export interface EnqueueOptions {
  /** Wait at least this long (a burst's debounce; a busy mailbox's pause). */
  readonly delayMs?: number;
  readonly confirmation?: readonly BrakeConfirmation[];
  /**
   * A run's own follow-up (a retry, a busy mailbox), asked from inside the running job: always a
   * new job — a poll's dedupe would find the running job's key and add nothing.
   */
  readonly followUp?: boolean;
}

export class RunQueue {
  constructor(
    private readonly pool: Pool,
    private readonly workerSchema = 'graphile_worker',
    private readonly debounceMs = 500,
    private readonly retryBaseMs = 5_000,
  ) {}

  /** A signal for the mailbox: coalesced into its pending job, or a new one. */
  async enqueue(mailbox: string, trigger: RunTrigger, options: EnqueueOptions = {}): Promise<void> {
    const signal: Signal = {
      mailbox,
      trigger,
      at: new Date().toISOString(),
      ...(options.confirmation
        ? { confirmation: options.confirmation.map((c) => ({ ...c, ids: [...c.ids] })) }
        : {}),
    };
    const poll = trigger === 'poll' && options.followUp !== true;
    await this.pool.query(
      `SELECT ${this.workerSchema}.add_job(
         $1, $2::json,
         queue_name := $3,
         run_at := greatest(
           now() + make_interval(secs => $4::double precision / 1000),
           (SELECT h.last_failure_at + make_interval(secs => least(
                     $9::double precision / 1000 * power(2, h.consecutive_failures - 1), 21600))
              FROM ${SCHEMA}.mailbox_health h
             WHERE h.mailbox = $7 AND h.consecutive_failures > 0),
           now()),
         max_attempts := 25,
         job_key := $5,
         priority := $6,
         job_key_mode := $8)`,
      [
        SYNC_TASK,
        JSON.stringify([signal]),
        queueNameOf(mailbox),
        options.delayMs ?? (poll || trigger === 'syncNow' ? 0 : this.debounceMs),
        jobKeyOf(mailbox),
        poll ? 1 : 0,
        mailbox,
        poll ? 'unsafe_dedupe' : 'preserve_run_at',
        this.retryBaseMs,
      ],
    );
  }

  /** A scheduled task's job (the safety poll, the renewals), once however many ask. */
  async enqueueTask(task: string): Promise<void> {
    await this.pool.query(
      `SELECT ${this.workerSchema}.add_job($1, '{}'::json, job_key := $1, job_key_mode := 'unsafe_dedupe')`,
      [task],
    );
  }

  /** Jobs of mailboxes waiting, due now or later, and running: the queue's depth. */
  async depth(): Promise<{ ready: number; scheduled: number; running: number }> {
    const row = await this.pool.query<{ ready: string; scheduled: string; running: string }>(
      `SELECT count(*) FILTER (WHERE j.locked_at IS NULL AND j.attempts < j.max_attempts
                                 AND j.run_at <= now()) AS ready,
              count(*) FILTER (WHERE j.locked_at IS NULL AND j.attempts < j.max_attempts
                                 AND j.run_at > now()) AS scheduled,
              count(*) FILTER (WHERE j.locked_at IS NOT NULL) AS running
         FROM ${this.workerSchema}._private_jobs j
         JOIN ${this.workerSchema}._private_tasks t ON t.id = j.task_id
        WHERE t.identifier = $1`,
      [SYNC_TASK],
    );
    const r = row.rows[0];
    return {
      ready: Number(r?.ready ?? 0),
      scheduled: Number(r?.scheduled ?? 0),
      running: Number(r?.running ?? 0),
    };
  }
}

class QuietLogger extends Logger {}

/** graphile-worker's own log lines, warnings and errors only, as JSON events (no payloads). */
export function quietLogger(log: (event: Readonly<Record<string, unknown>>) => void): Logger {
  return new QuietLogger(() => (level, message) => {
    if (level === 'error' || level === 'warning') {
      log({ event: 'queue', level, message: message.slice(0, 300) });
    }
  });
}
