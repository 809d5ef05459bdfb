/** What one engine needs, wired by the composition root (or a test). */
import type { Instant } from '../core/model';
import type { SyncSettings } from '../core/settings';
import type { CrmActivities, CrmActivity, OutlookCalendar, OutlookEvent } from '../ports';
import type { SyncDb } from '../store/schema';
import type { RunLock } from './lock';

export interface EngineDeps {
  readonly outlook: OutlookCalendar;
  readonly crm: CrmActivities;
  readonly db: SyncDb;
  readonly settings: SyncSettings;
  readonly calendarId: string;
  readonly clock: () => Instant;
  readonly lock: RunLock;
  /** This client's id for the CRM lease (one per installation). */
  readonly holderId: string;
  readonly leaseSeconds?: number;
}

/** What the gather phase learned, by id, for the apply phase to look things up in. */
export interface Gathered {
  readonly outlook: ReadonlyMap<string, OutlookEvent>;
  readonly crm: ReadonlyMap<string, CrmActivity>;
}
