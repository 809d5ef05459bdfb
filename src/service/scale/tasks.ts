/**
 * The worker's three jobs (issue 18): a mailbox's run, the safety poll and the subscriptions'
 * renewal. Only the queue starts them (./queue.ts); what asks for a run just enqueues one.
 */
import type { Task } from 'graphile-worker';
import type { Pool } from 'pg';
import type { RunOptions } from '../../sync/engine/run';
import type { SubscriptionManager } from '../graph';
import type { AdvisoryRunLock } from './advisoryRunLock';
import { QUARANTINE_AFTER, type Ledger } from './ledger';
import type { WorkerMetrics } from './metrics';
import type { OpenMailboxes, PairedMailboxes } from './openMailboxes';
import { type RunQueue, signalsOf, signalTime, triggerOf } from './queue';
import { pruneBudget } from './sharedBudget';
import type { PgSubscriptionRecords } from './subscriptionRecords';

type Log = (event: Readonly<Record<string, unknown>>) => void;

/** A mailbox whose run lock or CRM lease is held elsewhere: tried again after this. */
const BUSY_RETRY_MS = 2_000;
const LEASE_RETRY_MS = 30_000;

export interface SyncTaskDeps {
  readonly processId: string;
  readonly ledger: Ledger;
  readonly queue: RunQueue;
  readonly runLock: AdvisoryRunLock;
  readonly metrics: WorkerMetrics;
  readonly mailboxes: OpenMailboxes;
  readonly paired: PairedMailboxes;
  readonly log: Log;
}

/**
 * A mailbox's run, holding its advisory lock and written to the run log. Skipped while the
 * mailbox is quarantined or braked unless the person asked; failed runs are enqueued again after
 * the backoff until QUARANTINE_AFTER failures in a row set the mailbox aside.
 */
export function syncMailboxTask(deps: SyncTaskDeps): Task {
  const { ledger, queue, metrics, log } = deps;
  return async (payload, helpers) => {
    const signals = signalsOf(payload);
    const first = signals[0];
    if (!first) return;
    const mailbox = first.mailbox.toLowerCase();
    const trigger = triggerOf(signals);
    const health = await ledger.health(mailbox);
    const asked = signals.some((s) => s.trigger === 'syncNow' || s.trigger === 'brakeConfirmed');
    if (health?.quarantined_at && !asked) {
      log({ event: 'skipped', mailbox, reason: 'quarantined' });
      return;
    }
    if (health?.brake && !asked) {
      // SPEC D3: regular runs wait for the person's answer to the brake's question.
      log({ event: 'skipped', mailbox, reason: 'braked' });
      return;
    }
    const pairedWith = await deps.paired.of(mailbox);
    if (!pairedWith) {
      log({ event: 'skipped', mailbox, reason: 'notPaired' });
      return;
    }
    const confirmation = signals.find((s) => s.confirmation)?.confirmation;
    const runOptions: RunOptions = confirmation ? { massDeleteConfirmed: confirmation } : {};
    const { engine } = deps.mailboxes.engine(mailbox, pairedWith);
    const signalAt = signalTime(signals);
    deps.mailboxes.running.add(mailbox);
    let outcome;
    try {
      outcome = await deps.runLock.ifAvailable(`run:${mailbox}`, async () => {
        const runId = await ledger.startRun(mailbox, deps.processId, trigger, signalAt);
        let result = null;
        try {
          result = await engine.run(trigger, runOptions);
          return result;
        } finally {
          await ledger.endRun(runId, result);
        }
      });
    } finally {
      deps.mailboxes.running.delete(mailbox);
    }
    if (outcome === null) {
      // Another worker's run of the mailbox holds its lock (a hand-over under way): soon again.
      log({ event: 'busy', mailbox, job: helpers.job.id });
      await queue.enqueue(mailbox, trigger, { delayMs: BUSY_RETRY_MS, followUp: true });
      return;
    }
    metrics.runs.inc({ outcome: outcome.state });
    if (signalAt !== null && outcome.state === 'done') {
      metrics.latency.observe((Date.now() - signalAt.getTime()) / 1000);
    }
    const after = await ledger.recordOutcome(mailbox, trigger, outcome);
    if (outcome.state === 'busy') {
      // The CRM lease is another client's (a pane syncing): try again when it may be free.
      await queue.enqueue(mailbox, trigger, { delayMs: LEASE_RETRY_MS, followUp: true });
    } else if (outcome.state === 'failed') {
      if (after.quarantined) {
        log({ event: 'quarantined', mailbox, failures: after.failures, code: outcome.error.code });
        return;
      }
      // Tried again after the backoff (./queue.ts computes it from the failures in a row).
      log({ event: 'retry', mailbox, failures: after.failures, of: QUARANTINE_AFTER });
      await queue.enqueue(mailbox, trigger, { delayMs: 0, followUp: true });
    }
  };
}

/** The safety poll (SPEC S2): a run for every paired mailbox, the longest-unsynced first. */
export function safetyPollTask(deps: {
  readonly pool: Pool;
  readonly ledger: Ledger;
  readonly queue: RunQueue;
  readonly paired: PairedMailboxes;
  readonly log: Log;
}): Task {
  return async () => {
    const list = [...(await deps.paired.read()).keys()];
    for (const mailbox of await deps.ledger.fairOrder(list)) {
      await deps.queue.enqueue(mailbox, 'poll');
    }
    await pruneBudget(deps.pool);
    deps.log({ event: 'poll', mailboxes: list.length });
  };
}

/** Every paired mailbox's subscription made or renewed; those of mailboxes no longer paired go. */
export function renewSubscriptionsTask(deps: {
  readonly subscriptions: SubscriptionManager;
  readonly records: PgSubscriptionRecords;
  readonly paired: PairedMailboxes;
  readonly log: Log;
}): Task {
  const { subscriptions, log } = deps;
  return async () => {
    subscriptions.adopt(await deps.records.all());
    const list = [...(await deps.paired.read()).keys()];
    for (const mailbox of list) {
      await subscriptions
        .ensure(mailbox)
        .catch((error: Error & { code?: string }) =>
          log({ event: 'subscriptionError', mailbox, code: error.code ?? 'unknown' }),
        );
    }
    const wanted = new Set(list);
    for (const [mailbox] of subscriptions.subscriptions()) {
      if (!wanted.has(mailbox)) await subscriptions.remove(mailbox).catch(() => undefined);
    }
  };
}
