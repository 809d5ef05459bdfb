/**
 * What the pane's views and hooks know of the sync loop (types only): the controller the
 * composition root hands out, the duplicate finder's view model, and how sync is started. The
 * wiring that builds them is startSync.ts, loaded on demand (syncOnDemand.ts).
 */
import type { AddinConfig } from '../../config/addinConfig';
import type { Host } from '../../host/host';
import type { DuplicateGroup } from '../../sync/core/plan/duplicates';
import type { DuplicateAnswer } from '../../sync/engine/duplicates';
import type { SyncScheduler } from '../../sync/scheduler';
import type { Connection } from '../connection/connectionService';

export type { DuplicateAnswer } from '../../sync/engine/duplicates';
export type { SchedulerSnapshot } from '../../sync/scheduler';

/**
 * What the pane uses of the running loop: its state, "Sync now" and the other manual runs (S3),
 * the mass-delete question (D3), stopping and restarting it.
 */
export type SyncController = Pick<
  SyncScheduler,
  | 'subscribe'
  | 'getSnapshot'
  | 'syncNow'
  | 'fullSyncNow'
  | 'syncFrom'
  | 'confirmMassDelete'
  | 'dismissBrake'
  | 'start'
  | 'stop'
> & {
  /**
   * Issue 11 item 6: runs the interactive Microsoft 365 sign-in (popup, else the Office dialog),
   * then syncs. The loop itself never opens a window: it ends with `graphSignInNeeded`.
   * @throws SyncError `auth` when the sign-in does not succeed.
   */
  signInToMicrosoft(): Promise<void>;
  /** SPEC M3: the duplicate finder over the same engine (absent where there is none). */
  readonly duplicates?: DuplicateFinder;
  /**
   * Issue 17: `service` when sync runs on the company's always-on service and this controller
   * only shows it and passes the person's requests on (src/taskpane/service): no full sync, no
   * "sync from", no duplicate finder, no unlink there. Absent: the pane's own loop.
   */
  readonly runsOn?: 'service';
  /**
   * Issue 18: the service's workers set this mailbox aside after its runs kept failing (when,
   * after how many failures in a row); null when not. "Sync now" tries it again. Absent: the
   * pane's own loop, which has no quarantine of whole mailboxes.
   */
  readonly quarantined?: () => { readonly since: string; readonly failures: number } | null;
};

/** SPEC M3: finds duplicate appointments in the sync window and acts on the person's answer. */
export interface DuplicateFinder {
  find(): Promise<readonly DuplicateGroup[]>;
  resolve(answer: DuplicateAnswer): Promise<void>;
  /** SPEC K3: duplicate CRM contacts; absent (or empty) when contact sync is not configured. */
  findContacts?(): Promise<readonly ContactDuplicateGroup[]>;
  resolveContacts?(answer: ContactDuplicateAnswer): Promise<void>;
}

/** SPEC K3: a group of look-alike contacts, as the pane shows them (text only). */
export interface ContactDuplicateGroup {
  readonly id: string;
  readonly members: readonly {
    readonly id: string;
    readonly name: string;
    readonly email: string | null;
    /** The customer's name, or null when the contact has none (or it could not be read). */
    readonly company: string | null;
  }[];
}

/** SPEC K3: keep one contact; the others are archived (after filling its empty fields on merge). */
export interface ContactDuplicateAnswer {
  readonly keepId: string;
  readonly otherIds: readonly string[];
  readonly merge: boolean;
}

export interface StartSyncInput {
  readonly connection: Connection;
  readonly calendarId: string;
  readonly config: AddinConfig;
  readonly host: Host;
  /** The subject of a private item sent as a busy block, already translated. */
  readonly busySubject: string;
}

export type StartSync = (input: StartSyncInput) => Promise<SyncController>;
