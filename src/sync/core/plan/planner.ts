/**
 * The planner: `(links, outlook changes, crm changes, settings, now) → operations`
 * (ARCHITECTURE.md). Pure: everything it needs is an argument, which is what lets it be tested by
 * the thousand.
 * Gather and apply are the engine's; this is the middle phase of vdirsyncer's three
 * (REQUIREMENTS.md).
 */
import type { SyncSettings } from '../settings';
import { brakeFor } from './brake';
import { windowFor } from '../window';
import { planIdentity } from './identity';
import { planDeletion, planLinkedChange } from './linked';
import type { Brake, Exclusion, Operation, Plan, PlanInput } from './types';
import { planUnlinked } from './unlinked';

const DELETIONS = new Set<Operation['op']>(['cancelInCrm', 'removeMeInCrm', 'deleteInOutlook']);

/** SPEC D3: stop and ask before a run deletes a large share, or when one side is suddenly empty. */
function brakeOf(input: PlanInput, ops: readonly Operation[]): Brake | null {
  const about = (kinds: (op: Operation) => boolean) =>
    ops.flatMap((op) => ('link' in op && kinds(op) ? [op.link.outlookId] : []));
  return brakeFor({
    items: 'calendar',
    known: input.links.map((link) => link.outlookId),
    deletions: about((op) => DELETIONS.has(op.op)),
    // A person's value the plan overwrites: its conflict's loser, into the trash.
    overwrites: about((op) => op.op === 'trash'),
    listedNothing: {
      outlook: input.outlookIsFullListing && input.outlookChanged.length === 0,
      crm: input.crmIsFullListing && input.crmChanged.length === 0,
    },
    confirmed: input.massDeleteConfirmed,
    recent: input.recentDestructive ?? 0,
  });
}

/** The Outlook id an operation is about, for holding a braked item's every write. */
function heldItemOf(op: Operation): string | null {
  if ('link' in op) return op.link.outlookId;
  return op.op === 'createInCrm' || op.op === 'link' ? op.outlook.id : null;
}

/** What a brake holds: everything when a side is empty, else every write of the items it names. */
function holds(brake: Brake | null): (op: Operation) => boolean {
  if (brake === null) return () => false;
  if (brake.kind === 'sideEmpty') return () => true;
  const held = new Set(brake.ids);
  return (op) => held.has(heldItemOf(op) ?? '');
}

export function plan(input: PlanInput, settings: SyncSettings): Plan {
  const excluded: Exclusion[] = [
    ...(input.outlookUnreadable ?? []).map((id) => ({
      side: 'outlook' as const,
      id,
      reason: 'unreadable' as const,
    })),
    ...(input.crmUnreadable ?? []).map((id) => ({
      side: 'crm' as const,
      id,
      reason: 'crmUnreadable' as const,
    })),
  ];
  const ops: Operation[] = [];
  const outlookById = new Map(input.outlookChanged.map((e) => [e.id, e]));
  const crmById = new Map(input.crmChanged.map((a) => [a.id, a]));
  const outlookDeleted = new Set(input.outlookDeleted);
  const crmDeleted = new Set(input.crmDeleted);
  const linkedOutlookIds = new Set<string>();
  const linkedCrmIds = new Set<string>();

  // Issue 15, items 3–4: pairs that go on under a new id, and stored pairs to repair, first.
  const identity = planIdentity(
    {
      links: input.links,
      outlookChanged: input.outlookChanged,
      crmChanged: input.crmChanged,
      outlookDeleted,
      crmDeleted,
      repairs: input.repairs ?? [],
    },
    settings,
    excluded,
  );
  ops.push(...identity.operations);
  identity.outlook.forEach((id) => linkedOutlookIds.add(id));
  identity.crm.forEach((id) => linkedCrmIds.add(id));

  for (const link of input.links) {
    linkedOutlookIds.add(link.outlookId);
    linkedCrmIds.add(link.crmId);
    if (identity.replaced.has(link.outlookId)) continue;
    const crm = crmById.get(link.crmId);
    const gone = {
      outlook: outlookDeleted.has(link.outlookId),
      crm: crmDeleted.has(link.crmId) || crm?.cancelled === true,
    };
    if (gone.outlook || gone.crm) ops.push(...planDeletion(link, gone, settings, excluded));
    else if (outlookById.has(link.outlookId) || crm) {
      ops.push(...planLinkedChange(link, outlookById.get(link.outlookId), crm, settings, excluded));
    }
  }

  ops.push(
    ...planUnlinked(
      {
        outlook: input.outlookChanged.filter((e) => !linkedOutlookIds.has(e.id)),
        crm: input.crmChanged.filter((a) => !linkedCrmIds.has(a.id)),
      },
      {
        settings,
        outlookToCrm: windowFor(settings.outlookToCrm, input.now, settings.timeZone),
        crmToOutlook: windowFor(settings.crmToOutlook, input.now, settings.timeZone),
        typeChoices: input.typeChoices,
        linkedOutlookIds,
        linkedCrmIds,
        outlookDeleted,
        crmDeleted,
      },
      excluded,
    ),
  );

  const brake = brakeOf(input, ops);
  // The held items wait whole: a held overwrite's update waits with its trash row.
  const held = holds(brake);
  return {
    operations: ops.filter((op) => !held(op)),
    excluded,
    brake,
    held: ops.filter(held),
  };
}
