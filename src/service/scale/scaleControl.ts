/**
 * The service's control seam (../control.ts) answered by a scale-out worker: any worker answers
 * for any mailbox, from PostgreSQL (its health and the run log) and the mailbox's store; what the
 * person asks for ("Sync now", a restore, the brake's answer) becomes a job on the queue, which
 * whichever worker is free runs. A quarantined mailbox says so (`quarantined`), and the person's
 * "Sync now" lifts the quarantine and tries again.
 */
import type { Instant } from '../../sync/core/model';
import { confirmationOf, type BrakeConfirmation } from '../../sync/core/plan/brake';
import type { AskedBrake } from '../../sync/engine/run';
import type { ServiceStore } from '../../sync/store/statusStore';
import {
  type RunView,
  type ServiceControl,
  type ServiceMailboxStatus,
  type ServiceRunOutcome,
  type SetAsideView,
  type TrashView,
  UnknownMailboxError,
} from '../control';
import { ServiceRunOutcomeSchema, RunTriggerSchema } from '../../shared/serviceApi';
import * as views from '../statusViews';
import type { Ledger } from './ledger';
import type { RunQueue } from './queue';

export interface ScaleControlDeps {
  readonly ledger: Ledger;
  readonly queue: RunQueue;
  /** Whether the service syncs the mailbox (the CRM's list, refreshed when unknown). */
  readonly isPaired: (mailbox: string) => Promise<boolean>;
  /** The mailbox's store (opened or kept by the worker). */
  readonly store: (mailbox: string) => ServiceStore;
  readonly clock?: () => Instant;
}

const iso = (d: Date | null): Instant | null =>
  d === null ? null : d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export class ScaleControl implements ServiceControl {
  constructor(private readonly deps: ScaleControlDeps) {}

  private async known(mailboxId: string): Promise<string> {
    const id = mailboxId.trim().toLowerCase();
    if (!(await this.deps.isPaired(id))) throw new UnknownMailboxError(mailboxId);
    return id;
  }

  async status(mailboxId: string): Promise<ServiceMailboxStatus> {
    const id = await this.known(mailboxId);
    const [health, running] = await Promise.all([
      this.deps.ledger.health(id),
      this.deps.ledger.running(id),
    ]);
    const outcome = ServiceRunOutcomeSchema.safeParse(health?.last_outcome);
    const lastOutcome: ServiceRunOutcome | null = outcome.success ? outcome.data : null;
    const trigger = RunTriggerSchema.safeParse(health?.last_trigger);
    const quarantinedAt = health?.quarantined_at ?? null;
    return {
      mailboxId: id,
      state: running
        ? 'syncing'
        : health?.brake
          ? 'braked'
          : lastOutcome?.state === 'failed'
            ? 'failing'
            : 'idle',
      lastSyncAt: iso(health?.last_done_at ?? null),
      // The safety poll visits every mailbox within its period; the queue decides the minute.
      nextRunAt: null,
      lastOutcome,
      lastTrigger: trigger.success ? trigger.data : null,
      quarantined:
        quarantinedAt === null
          ? null
          : {
              since: iso(quarantinedAt) ?? '',
              failures: health?.consecutive_failures ?? 0,
            },
    };
  }

  async history(mailboxId: string, limit: number): Promise<readonly RunView[]> {
    const id = await this.known(mailboxId);
    return views.runViews(this.deps.store(id), Math.max(1, Math.min(100, Math.floor(limit))));
  }

  async setAside(mailboxId: string): Promise<readonly SetAsideView[]> {
    return views.setAsideViews(this.deps.store(await this.known(mailboxId)));
  }

  async retry(mailboxId: string, itemKey: string): Promise<void> {
    const id = await this.known(mailboxId);
    await views.retryItem(this.deps.store(id), itemKey);
    await this.deps.queue.enqueue(id, 'syncNow');
  }

  async trash(mailboxId: string): Promise<readonly TrashView[]> {
    return views.trashViews(this.deps.store(await this.known(mailboxId)));
  }

  async restore(mailboxId: string, trashId: number): Promise<boolean> {
    const id = await this.known(mailboxId);
    const now = (this.deps.clock ?? (() => iso(new Date()) ?? ''))();
    const asked = await views.requestRestore(this.deps.store(id), trashId, now);
    if (asked) await this.deps.queue.enqueue(id, 'syncNow');
    return asked;
  }

  async syncNow(mailboxId: string): Promise<void> {
    const id = await this.known(mailboxId);
    // The person asks again: a quarantined mailbox is tried again (and set aside again if the
    // cause remains).
    await this.deps.ledger.release(id);
    await this.deps.queue.enqueue(id, 'syncNow');
  }

  async brakeQuestion(mailboxId: string): Promise<readonly AskedBrake[] | null> {
    const id = await this.known(mailboxId);
    const health = await this.deps.ledger.health(id);
    const braked = ServiceRunOutcomeSchema.safeParse(health?.last_outcome);
    return health?.brake && braked.success && braked.data.state === 'braked'
      ? braked.data.asked
      : null;
  }

  async confirmBrake(
    mailboxId: string,
    confirmation: readonly BrakeConfirmation[],
  ): Promise<boolean> {
    const id = await this.known(mailboxId);
    const asked = await this.brakeQuestion(id);
    if (asked === null) return false;
    await this.deps.ledger.clearBrake(id);
    if (confirmation.length === 0) return true; // "Not now": regular runs resume
    // Issue 15, item 2: a confirmation is bound to what was shown; a stale one confirms nothing.
    const shown = confirmationOf(asked.map((a) => a.brake));
    if (!views.sameConfirmation(shown, confirmation)) return false;
    await this.deps.queue.enqueue(id, 'brakeConfirmed', { confirmation });
    return true;
  }
}
