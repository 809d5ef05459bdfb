/**
 * The always-on sync service's control seam (issue 17, items 1 and 6): what its small
 * authenticated API (src/service/api/**) answers for one paired mailbox, and what the pane shows
 * when the company runs sync on the service. The service's runtime (src/service/runtime.ts)
 * implements it over each mailbox's SQLite store and run loop; the API and its tests build on this
 * interface only.
 *
 * The shapes are those the pane's Status view shows today (src/taskpane/status/statusService.ts:
 * RunView, TrashView, SetAsideView) and the engine's brake question (engine/run.ts AskedBrake,
 * core/plan/brake.ts BrakeConfirmation), so the pane draws the service's state with the views it
 * has. Every value is plain JSON (no class instances, no Dates): the API sends them as they are.
 *
 * A mailbox id is the mailbox's SMTP address, lower-cased — the store's key and the CRM user's
 * email (SPEC C5–C7: the CRM knows the pairs). A mailbox the service does not sync is refused with
 * UnknownMailboxError (the API answers 404), never an empty answer that reads as "all is well".
 *
 * Nothing here carries a key, a token or an item's content beyond what the person's own Status
 * view shows them (subjects of their own items).
 */
import type { ErrorCode, ErrorKind } from '../sync/core/errors';
import type { BrakeConfirmation } from '../sync/core/plan/brake';
import type { Instant } from '../sync/core/model';
import type { AskedBrake } from '../sync/engine/run';
import type { RunRow } from '../sync/store/rows';
import type { RunView, SetAsideView, TrashView } from '../taskpane/status/statusService';

export type { AskedBrake } from '../sync/engine/run';
export type { BrakeConfirmation } from '../sync/core/plan/brake';
export type { RunView, SetAsideView, TrashView } from '../taskpane/status/statusService';

/** What started a run on the service (issue 17, item 3). */
export type RunTrigger =
  /** A Graph change notification for the mailbox's calendar (src/service/graph). */
  | 'notification'
  /** The CRM's change signal named the mailbox's user (docs/crm-sync-api.yaml). */
  | 'crmChange'
  /** The safety poll (every 5 minutes, whatever the signals said). */
  | 'poll'
  /** The service started, or the mailbox was switched on. */
  | 'start'
  /** The person asked ("Sync now" in the pane, through the API). */
  | 'syncNow'
  /** The person confirmed the brake's question. */
  | 'brakeConfirmed'
  /** After a gap in notifications (lifecycle `missed`, a new subscription): delta catches up. */
  | 'resync';

/** A run's outcome as JSON (engine/run.ts RunOutcome, with the error reduced to its code). */
export type ServiceRunOutcome =
  | {
      readonly state: 'done';
      readonly counts: RunRow['counts'];
      readonly failures: number;
    }
  | { readonly state: 'braked'; readonly asked: readonly AskedBrake[] }
  | { readonly state: 'busy' }
  | {
      readonly state: 'failed';
      /** SyncError's code and kind (core/errors.ts): never a message with a server's text. */
      readonly error: { readonly code: ErrorCode; readonly kind: ErrorKind };
    };

/** Where a mailbox's sync on the service stands. */
export type ServiceSyncState =
  /** Waiting for a trigger. */
  | 'idle'
  /** A run is going on (one at a time per mailbox: the service's per-mailbox lock). */
  | 'syncing'
  /** The brake stopped the last run: regular runs wait for the person (SPEC D3). */
  | 'braked'
  /** The last run failed as a whole (sign-in, throttling, offline, server): retried later. */
  | 'failing';

/** One mailbox's state on the service: what the pane's status line shows. */
export interface ServiceMailboxStatus {
  readonly mailboxId: string;
  readonly state: ServiceSyncState;
  /** When the last run that ended `done` finished. */
  readonly lastSyncAt: Instant | null;
  /** When the safety poll runs next (earlier if a signal comes). */
  readonly nextRunAt: Instant | null;
  readonly lastOutcome: ServiceRunOutcome | null;
  /** What started the last run. */
  readonly lastTrigger: RunTrigger | null;
  /**
   * Issue 18: the scale-out workers set a mailbox aside after its runs failed as a whole several
   * times in a row; "Sync now" tries it again. Absent or null: not set aside.
   */
  readonly quarantined?: { readonly since: Instant; readonly failures: number } | null;
}

/** The mailbox is not one the service syncs (not paired, or its company has the service off). */
export class UnknownMailboxError extends Error {
  override readonly name = 'UnknownMailboxError';
  constructor(readonly mailboxId: string) {
    super('The sync service does not sync this mailbox');
  }
}

export interface ServiceControl {
  /** @throws UnknownMailboxError */
  status(mailboxId: string): Promise<ServiceMailboxStatus>;
  /** SPEC E2: the newest runs worth listing, newest first (the pane's rule: quiet runs left out). */
  history(mailboxId: string, limit: number): Promise<readonly RunView[]>;
  /** SPEC E4: the items set aside, newest first. */
  setAside(mailboxId: string): Promise<readonly SetAsideView[]>;
  /** SPEC E4 "retry": the item leaves the quarantine and the next run reads it again. */
  retry(mailboxId: string, itemKey: string): Promise<void>;
  /** SPEC D4: what sync overwrote or deleted, newest first. */
  trash(mailboxId: string): Promise<readonly TrashView[]>;
  /**
   * SPEC D4 "undone": the next run writes the trashed value back; a run is started for it.
   * @returns false when the row is gone, already restored or already asked for.
   */
  restore(mailboxId: string, trashId: number): Promise<boolean>;
  /** SPEC S3 "Sync now": a run soon (at once, or right after the one going on). */
  syncNow(mailboxId: string): Promise<void>;
  /** SPEC D3: the question of the braked last run; null when the mailbox is not braked. */
  brakeQuestion(mailboxId: string): Promise<readonly AskedBrake[] | null>;
  /**
   * SPEC D3: the person confirmed the question they were shown — each brake by its kind, items
   * and (side-empty) side, exactly as confirmationOf(asked.map(a => a.brake)) makes it; a run
   * follows with that confirmation. `[]` is "Not now": regular runs resume, nothing is allowed.
   * @returns false when the mailbox was not braked (a stale question confirms nothing).
   */
  confirmBrake(mailboxId: string, confirmation: readonly BrakeConfirmation[]): Promise<boolean>;
}
