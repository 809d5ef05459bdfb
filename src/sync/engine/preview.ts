/**
 * The dry run before the first sync (SPEC C8): gather and plan exactly as runSync does, then
 * report what the plan would do instead of doing it. Nothing is written to either side, and the
 * store keeps its cursors, links, outbox, records and runs as they were — the first real run reads
 * everything again. The one write is gather's own: it remembers which series each Outlook
 * occurrence it read belongs to (the `occurrences` table), which is what it would learn on the
 * next read anyway and changes no decision.
 *
 * Unlike runSync it takes no lock and no CRM lease (it writes nothing), and it does not replay
 * the outbox: before the first sync the outbox is empty.
 */
import { SyncError } from '../core/errors';
import type { CalendarItem } from '../core/model';
import type { Brake, ExclusionReason, Operation } from '../core/plan/types';
import type { EngineDeps, Gathered } from './context';
import { gather } from './gather';
import { planGathered } from './planStep';

/** One item as the preview lists it: enough for a person to recognise it, nothing more. */
export interface PreviewItem {
  readonly side: 'outlook' | 'crm';
  readonly id: string;
  readonly subject: string;
  /** ISO instant, or the date of an all-day item. */
  readonly start: string;
}

/** The operations a person is asked about before the first sync. */
export type PreviewAction = 'link' | 'createInCrm' | 'createInOutlook';

export interface SyncPreview {
  /** How many of each operation the run would apply, as RunOutcome's counts name them. */
  readonly counts: Readonly<Partial<Record<Operation['op'], number>>>;
  /** The items behind the three counts the pane lists, in the plan's order. */
  readonly items: Readonly<Record<PreviewAction, readonly PreviewItem[]>>;
  /** SPEC X1, T1, P1: what would not sync, grouped by reason, most frequent first. */
  readonly skipped: readonly {
    readonly reason: ExclusionReason;
    readonly items: readonly PreviewItem[];
  }[];
  /** SPEC D3: the run would stop and ask first. */
  readonly brake: Brake | null;
  /**
   * Issue 12, item 3: the meeting invitations the copies to Outlook would send from the
   * person's mailbox (Graph invites every attendee of a created event, user-post-events.md).
   */
  readonly invitations: number;
}

export type PreviewOutcome =
  | { readonly state: 'ready'; readonly preview: SyncPreview }
  | { readonly state: 'failed'; readonly error: SyncError };

function startOf(item: CalendarItem): string {
  return item.time.kind === 'timed' ? item.time.start : item.time.startDate;
}

function describe(side: 'outlook' | 'crm', id: string, gathered: Gathered): PreviewItem {
  const found = side === 'outlook' ? gathered.outlook.get(id) : gathered.crm.get(id);
  return {
    side,
    id,
    subject: found?.item.subject ?? '',
    start: found ? startOf(found.item) : '',
  };
}

function itemOf(op: Operation, gathered: Gathered): PreviewItem | null {
  switch (op.op) {
    case 'link':
    case 'createInCrm':
      return describe('outlook', op.outlook.id, gathered);
    case 'createInOutlook':
      return describe('crm', op.crm.id, gathered);
    default:
      return null;
  }
}

/**
 * Whom a copy created in Outlook invites: participants with an address, the person left out,
 * contact people only when the setting says so (SPEC F4) — what the adapter sends as attendees.
 */
function invitees(item: CalendarItem, settings: EngineDeps['settings']): number {
  const to = new Set(
    item.participants
      .filter((p) => p.email && (p.kind !== 'contact' || settings.inviteContacts === true))
      .map((p) => (p.email ?? '').toLowerCase())
      .filter((email) => email !== settings.mailbox),
  );
  return to.size;
}

/** What the next run would do, without doing it (SPEC C8). */
export async function previewSync(
  deps: EngineDeps,
  options: { readonly full?: boolean } = {},
): Promise<PreviewOutcome> {
  try {
    const gathered = await gather(deps, options.full === true);
    const { result, lookup } = await planGathered(deps, gathered, {}, deps.clock());
    const counts: Partial<Record<Operation['op'], number>> = {};
    const items: Record<PreviewAction, PreviewItem[]> = {
      link: [],
      createInCrm: [],
      createInOutlook: [],
    };
    let invitations = 0;
    for (const op of result.operations) {
      counts[op.op] = (counts[op.op] ?? 0) + 1;
      if (op.op === 'createInOutlook') invitations += invitees(op.item, deps.settings);
      const item = itemOf(op, lookup);
      if (item && (op.op === 'link' || op.op === 'createInCrm' || op.op === 'createInOutlook')) {
        items[op.op].push(item);
      }
    }
    const groups = new Map<ExclusionReason, PreviewItem[]>();
    for (const ex of result.excluded) {
      const group = groups.get(ex.reason) ?? [];
      group.push(describe(ex.side, ex.id, lookup));
      groups.set(ex.reason, group);
    }
    const skipped = [...groups.entries()]
      .map(([reason, list]) => ({ reason, items: list }))
      .sort((a, b) => b.items.length - a.items.length || a.reason.localeCompare(b.reason));
    return {
      state: 'ready',
      preview: { counts, items, skipped, brake: result.brake, invitations },
    };
  } catch (error) {
    const failure =
      error instanceof SyncError
        ? error
        : new SyncError('serverError', 'Unexpected failure', { cause: error });
    return { state: 'failed', error: failure };
  }
}
