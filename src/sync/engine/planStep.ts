/**
 * The middle of a run, shared by runSync and previewSync: the gathered changes, minus the items
 * set aside (SPEC E4), go through the pure planner. Keeping it in one place is what makes the
 * preview's counts the ones the run then applies (SPEC C8).
 */
import type { Instant } from '../core/model';
import type { MassDeleteConfirmation } from '../core/plan/brake';
import { plan } from '../core/plan/planner';
import type { Link, Plan } from '../core/plan/types';
import type { CrmActivity, OutlookEvent } from '../ports';
import type { EngineDeps, Gathered } from './context';
import type { GatherResult } from './gather';

export interface PlannedRun {
  readonly result: Plan;
  /** Everything the gather read, by id: apply and the preview look items up here. */
  readonly lookup: Gathered;
  /** The links the plan was made on. */
  readonly links: readonly Link[];
}

export async function planGathered(
  deps: EngineDeps,
  gathered: GatherResult,
  options: {
    readonly typeChoices?: Readonly<Record<string, string>>;
    readonly massDeleteConfirmed?: MassDeleteConfirmation;
    /** Issue 14, item 4: the brake's sliding window so far (SyncStore.destructiveSince). */
    readonly recentDestructive?: number;
  },
  now: Instant,
): Promise<PlannedRun> {
  const quarantined = await deps.store.quarantinedKeys();
  const links = await deps.store.links('calendar');
  const outlookChanged: OutlookEvent[] = [...gathered.outlook.changed, ...gathered.extraOutlook];
  const crmChanged: CrmActivity[] = [...gathered.crm.changed, ...gathered.extraCrm];
  const result = plan(
    {
      links,
      outlookChanged: outlookChanged.filter((e) => !quarantined.has(`o:${e.id}`)),
      outlookDeleted: gathered.outlookDeleted,
      crmChanged: crmChanged.filter((a) => !quarantined.has(`c:${a.id}`)),
      crmDeleted: gathered.crmDeleted,
      outlookUnreadable: gathered.outlook.unreadable ?? [],
      outlookIsFullListing: gathered.outlookIsFullListing,
      crmIsFullListing: gathered.crmIsFullListing,
      typeChoices: options.typeChoices ?? {},
      now,
      massDeleteConfirmed: options.massDeleteConfirmed ?? false,
      recentDestructive: options.recentDestructive ?? 0,
    },
    deps.settings,
  );
  return {
    result,
    links,
    lookup: {
      outlook: new Map(outlookChanged.map((e) => [e.id, e])),
      crm: new Map(crmChanged.map((a) => [a.id, a])),
    },
  };
}
