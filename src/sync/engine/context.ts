/** What one engine needs, wired by the composition root (or a test). */
import type { Instant } from '../core/model';
import type { ContactSettings } from '../core/contacts/types';
import type { SyncSettings } from '../core/settings';
import type {
  CrmActivities,
  CrmActivity,
  CrmContacts,
  OutlookCalendar,
  OutlookContacts,
  OutlookEvent,
} from '../ports';
import type { SyncStore } from '../store/syncStore';
import type { RunLock } from './lock';

export interface EngineDeps {
  readonly outlook: OutlookCalendar;
  readonly crm: CrmActivities;
  /** What the engine keeps between runs (store/syncStore.ts): no table is touched directly. */
  readonly store: SyncStore;
  readonly settings: SyncSettings;
  readonly calendarId: string;
  readonly clock: () => Instant;
  readonly lock: RunLock;
  /** This client's id for the CRM lease (one per installation). */
  readonly holderId: string;
  readonly leaseSeconds?: number;
  /**
   * Issue 14: how long one run may take (by `clock`) before it ends between two operations,
   * cursors kept and lock released. Default RUN_DEADLINE_MS (run.ts).
   */
  readonly runDeadlineMs?: number;
  /** SPEC K1, K2: contacts, the second item kind, synced in the same run when set. */
  readonly contacts?: ContactDeps;
}

export interface ContactDeps {
  readonly outlook: OutlookContacts;
  readonly crm: CrmContacts;
  readonly settings: ContactSettings;
  /** The name of the product's own contact folder in Outlook. */
  readonly folderName: string;
  /**
   * Issue 16, item 5: how often the contact step asks the services for changes (./contacts/
   * cadence.ts); the composition root sets the CRM's 5 minutes. Default 0: every run.
   */
  readonly cadenceMs?: number;
}

/** What the gather phase learned, by id, for the apply phase to look things up in. */
export interface Gathered {
  readonly outlook: ReadonlyMap<string, OutlookEvent>;
  readonly crm: ReadonlyMap<string, CrmActivity>;
}
