/**
 * The planner: `(links, outlook changes, crm changes, settings, now) → operations`
 * (ARCHITECTURE.md). Pure: everything it needs is an argument, which is what lets it be tested by
 * the thousand.
 * Gather and apply are the engine's; this is the middle phase of vdirsyncer's three
 * (REQUIREMENTS.md).
 */
import type { SyncSettings } from '../settings';
import { MASS_DELETE_MIN } from '../settings';
import { massDeleteHold } from './brake';
import { windowFor } from '../window';
import { planIdentity } from './identity';
import { planDeletion, planLinkedChange } from './linked';
import type { Brake, Exclusion, Link, Operation, Plan, PlanInput } from './types';
import { planUnlinked } from './unlinked';

const DESTRUCTIVE = new Set<Operation['op']>(['cancelInCrm', 'removeMeInCrm', 'deleteInOutlook']);

/** SPEC D3: stop and ask before a run deletes a large share, or when one side is suddenly empty. */
function brakeFor(input: PlanInput, ops: readonly Operation[]): Brake | null {
  const linked = input.links.length;
  if (linked >= MASS_DELETE_MIN) {
    // vdirsyncer's StorageEmpty: a full listing with nothing in it while links exist.
    if (input.outlookIsFullListing && input.outlookChanged.length === 0) {
      return { kind: 'sideEmpty', side: 'outlook', linked };
    }
    if (input.crmIsFullListing && input.crmChanged.length === 0) {
      return { kind: 'sideEmpty', side: 'crm', linked };
    }
  }
  // A loser's values count only on a pair linked before this run: a pair this run links for the
  // first time (first sync, a match) overwrites nobody's synced value — the first-sync preview
  // shows those, and counting them braked every first sync of existing items.
  const known = new Set(input.links.map((link) => link.outlookId));
  const held = massDeleteHold({
    destructive: ops
      .filter(isDestructive)
      .filter((op) => op.op !== 'trash' || known.has(op.link.outlookId))
      .map(itemOf),
    linked,
    confirmed: input.massDeleteConfirmed,
    recent: input.recentDestructive ?? 0,
  });
  if (held === null) return null;
  const destructive = held.length + (input.recentDestructive ?? 0);
  return { kind: 'massDelete', destructive, linked, ids: held };
}

/** A deletion, or a person's value the plan overwrites (its conflict's loser, into the trash). */
function isDestructive(op: Operation): op is Operation & { link: Link } {
  return DESTRUCTIVE.has(op.op) || op.op === 'trash';
}

const itemOf = (op: Operation & { link: Link }): string => op.link.outlookId;

/** The Outlook id an operation is about, for holding a braked item's every write. */
function heldItemOf(op: Operation): string | null {
  if ('link' in op) return op.link.outlookId;
  return op.op === 'createInCrm' || op.op === 'link' ? op.outlook.id : null;
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
    if (gone.outlook || gone.crm) ops.push(planDeletion(link, gone, settings));
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

  const brake = brakeFor(input, ops);
  if (brake?.kind === 'sideEmpty') return { operations: [], excluded, brake };
  // The held items wait whole: a held overwrite's update waits with its trash row.
  const held = new Set(brake?.kind === 'massDelete' ? brake.ids : []);
  const operations = brake ? ops.filter((op) => !held.has(heldItemOf(op) ?? '')) : ops;
  return { operations, excluded, brake };
}
