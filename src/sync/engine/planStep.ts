/**
 * The middle of a run, shared by runSync and previewSync: the gathered changes, minus the items
 * set aside (SPEC E4), go through the pure planner. Keeping it in one place is what makes the
 * preview's counts the ones the run then applies (SPEC C8).
 */
import { SyncError } from '../core/errors';
import type { Instant } from '../core/model';
import type { MassDeleteConfirmation } from '../core/plan/brake';
import type { SyncSettings } from '../core/settings';
import { plan } from '../core/plan/planner';
import type { Link, Plan, PlanInput } from '../core/plan/types';
import type { CrmActivity, OutlookEvent } from '../ports';
import type { EngineDeps, Gathered } from './context';
import type { GatherResult } from './gather';

export interface PlannedRun {
  readonly result: Plan;
  /** Everything the gather read, by id: apply and the preview look items up here. */
  readonly lookup: Gathered;
  /** The links the plan was made on. */
  readonly links: readonly Link[];
  /** Issue 14: items whose planning threw; left out of the plan, to be set aside. */
  readonly unprocessable: readonly { readonly side: 'outlook' | 'crm'; readonly id: string }[];
}

type Unprocessable = PlannedRun['unprocessable'][number];

/**
 * Issue 14: the planner on one bad item must not fail the whole plan. When planning throws (not a
 * SyncError: a date, zone or rule the core cannot handle), each changed and each deleted item is
 * planned alone to find the ones that throw; they are left out and the rest is planned again.
 * Costs one plan per item only on a run that meets such an item. When the plan still throws
 * without them (the fault is not one item's), the error ends the run as before.
 */
export function planIsolated(
  input: PlanInput,
  settings: SyncSettings,
): { readonly result: Plan; readonly unprocessable: readonly Unprocessable[] } {
  try {
    return { result: plan(input, settings), unprocessable: [] };
  } catch (error) {
    if (error instanceof SyncError) throw error;
  }
  const alone: PlanInput = {
    ...input,
    outlookChanged: [],
    crmChanged: [],
    outlookDeleted: [],
    crmDeleted: [],
    outlookIsFullListing: false,
    crmIsFullListing: false,
    massDeleteConfirmed: true,
  };
  const throws = (probe: Partial<PlanInput>): boolean => {
    try {
      plan({ ...alone, ...probe }, settings);
      return false;
    } catch {
      return true;
    }
  };
  const bad: Unprocessable[] = [
    ...input.outlookChanged
      .filter((e) => throws({ outlookChanged: [e] }))
      .map((e) => ({ side: 'outlook' as const, id: e.id })),
    ...input.outlookDeleted
      .filter((id) => throws({ outlookDeleted: [id] }))
      .map((id) => ({ side: 'outlook' as const, id })),
    ...input.crmChanged
      .filter((a) => throws({ crmChanged: [a] }))
      .map((a) => ({ side: 'crm' as const, id: a.id })),
    ...input.crmDeleted
      .filter((id) => throws({ crmDeleted: [id] }))
      .map((id) => ({ side: 'crm' as const, id })),
  ];
  const out = (side: Unprocessable['side']) =>
    new Set(bad.filter((b) => b.side === side).map((b) => b.id));
  const [badOutlook, badCrm] = [out('outlook'), out('crm')];
  const result = plan(
    {
      ...input,
      outlookChanged: input.outlookChanged.filter((e) => !badOutlook.has(e.id)),
      outlookDeleted: input.outlookDeleted.filter((id) => !badOutlook.has(id)),
      crmChanged: input.crmChanged.filter((a) => !badCrm.has(a.id)),
      crmDeleted: input.crmDeleted.filter((id) => !badCrm.has(id)),
    },
    settings,
  );
  return { result, unprocessable: bad };
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
  // The gather's read: rows it dropped were pairs to repair, never links (gather.ts).
  const { links } = gathered;
  const outlookChanged: OutlookEvent[] = [...gathered.outlook.changed, ...gathered.extraOutlook];
  const crmChanged: CrmActivity[] = [...gathered.crm.changed, ...gathered.extraCrm];
  const { result, unprocessable } = planIsolated(
    {
      links,
      outlookChanged: outlookChanged.filter((e) => !quarantined.has(`o:${e.id}`)),
      outlookDeleted: gathered.outlookDeleted,
      crmChanged: crmChanged.filter((a) => !quarantined.has(`c:${a.id}`)),
      crmDeleted: gathered.crmDeleted,
      outlookUnreadable: gathered.outlookUnreadable,
      crmUnreadable: gathered.crmUnreadable,
      outlookIsFullListing: gathered.outlookIsFullListing,
      crmIsFullListing: gathered.crmIsFullListing,
      typeChoices: options.typeChoices ?? {},
      now,
      massDeleteConfirmed: options.massDeleteConfirmed ?? false,
      recentDestructive: options.recentDestructive ?? 0,
      repairs: gathered.repairs,
    },
    deps.settings,
  );
  return {
    result,
    unprocessable,
    links,
    lookup: {
      outlook: new Map(outlookChanged.map((e) => [e.id, e])),
      crm: new Map(crmChanged.map((a) => [a.id, a])),
    },
  };
}
