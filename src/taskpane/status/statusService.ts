/**
 * The Status view's window on the store (SPEC D4, E2, E4): live queries the pane shows and the
 * person's actions on them. Components reach it only through the services context; it is built
 * over the real store, so tests give it a fake-indexeddb store rather than a mock.
 */
import type { LostValue } from '../../sync/core/merge';
import type { Instant } from '../../sync/core/model';
import type { RunState, TrashRestore } from '../../sync/store/schema';

/** Anything with Dexie's `liveQuery` shape (also the TC39 Observable's). */
export interface Live<T> {
  subscribe(observer: { next(value: T): void; error?(error: unknown): void }): {
    unsubscribe(): void;
  };
}

/** One item a failure, a trash row or the quarantine names, as far as the store knows it. */
export interface ItemRef {
  /** `o:<Outlook event id>` or `c:<CRM activity id>`; `*` for the whole run. */
  readonly itemKey: string;
  /** Its subject from the link or the outbox; null when the store holds neither. */
  readonly subject: string | null;
}

export interface RunFailureView extends ItemRef {
  readonly code: string;
  /** Not synced since: waiting for a retry (pending) or set aside. The run's record may be old. */
  readonly unresolved: boolean;
}

/** SPEC E2: one run, what it changed, what failed and why. */
export interface RunView {
  readonly id: number;
  readonly startedAt: Instant;
  readonly finishedAt: Instant | null;
  readonly state: RunState;
  /** Writes made (creates, updates, deletions, links); rebases write nothing and are left out. */
  readonly changes: number;
  readonly failures: readonly RunFailureView[];
  readonly brake: string | null;
}

/** SPEC D4: what sync overwrote or deleted. */
export interface TrashView {
  readonly id: number;
  readonly at: Instant;
  readonly subject: string | null;
  readonly kind: 'overwritten' | 'deleted';
  readonly lost: LostValue;
  readonly restore: TrashRestore | null;
}

/** SPEC E4: an item set aside, by failures or by the person ("Unlink"). */
export interface SetAsideView extends ItemRef {
  readonly failures: number;
  readonly lastCode: string;
  readonly since: Instant;
  readonly unlinked: boolean;
}

export interface StatusOverview {
  readonly runs: readonly RunView[];
  readonly trash: readonly TrashView[];
  readonly setAside: readonly SetAsideView[];
}

/** One mailbox's store. */
export interface MailboxStatus {
  /** Everything the Status view lists, again on every change of the store. */
  overview(): Live<StatusOverview>;
  /** SPEC E4: sync this item again at the next run. */
  retry(itemKey: string): Promise<void>;
  /** SPEC E2: stop syncing this item; both copies stay as they are. */
  unlink(itemKey: string): Promise<void>;
  /** SPEC D4: write the trashed value back at the next run. False when nothing was to do. */
  restore(trashId: number): Promise<boolean>;
}

export interface StatusService {
  /** The store of a paired mailbox (one database per mailbox). */
  forMailbox(mailbox: string): MailboxStatus;
}
