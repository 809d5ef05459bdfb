import { randomBytes } from 'node:crypto';
import { GraphError } from './errors';
import type { Instance } from './instances';
import { calendarView, findInstance } from './views';
import type { GraphStore } from './store';
import type { DeltaState } from './types';

/**
 * calendarView/delta (https://learn.microsoft.com/graph/delta-query-events). A round starts at
 * the first call (window from startDateTime/endDateTime) or at a deltaLink; its changes are fixed
 * when it starts, handed out page by page through `$skiptoken={round}.{offset}` (so a retried
 * nextLink returns the same page), and its last page gives a deltaLink to the round's snapshot.
 * Removed instances, and instances that left the window, come as `@removed: {reason: deleted}`.
 */
const MAX_STATES = 2000;

export const syncStateNotFound = (): GraphError =>
  new GraphError(
    410,
    'syncStateNotFound',
    'The sync state generation is not found or has expired. Perform a full resync.',
  );

export type DeltaItem = { removed: true; id: string } | { removed: false; inst: Instance };

export interface DeltaPage {
  items: DeltaItem[];
  skipToken?: string;
  deltaToken?: string;
}

function save(store: GraphStore, state: DeltaState): string {
  const states = store.state.deltaStates;
  const keys = Object.keys(states);
  if (keys.length >= MAX_STATES) {
    keys.sort((a, b) => (states[a]?.createdAt ?? 0) - (states[b]?.createdAt ?? 0));
    for (const k of keys.slice(0, keys.length - MAX_STATES + 1)) delete states[k];
  }
  const token = randomBytes(18).toString('base64url');
  states[token] = state;
  store.changed();
  return token;
}

function lookup(store: GraphStore, mailbox: string, token: string): DeltaState {
  const s = store.state.deltaStates[token];
  if (!s || s.mailbox !== mailbox) throw syncStateNotFound();
  return s;
}

/** Starts a round: everything in the window (no base) or the changes since `baseToken`. */
export function startRound(
  store: GraphStore,
  mailbox: string,
  window: { calendarId: string; start: number; end: number } | { baseToken: string },
): string {
  const base = 'baseToken' in window ? lookup(store, mailbox, window.baseToken) : null;
  const w = base ?? (window as { calendarId: string; start: number; end: number });
  const mbx = store.mailbox(mailbox);
  if (!mbx.calendars.some((c) => c.id === w.calendarId)) throw syncStateNotFound();
  const current = calendarView(mbx, w.calendarId, w.start, w.end);
  const snapshot: Record<string, string> = {};
  for (const inst of current) snapshot[inst.id] = inst.version;
  const changes: { id: string; removed: boolean }[] = [];
  for (const inst of current) {
    if (base?.snapshot[inst.id] !== inst.version) changes.push({ id: inst.id, removed: false });
  }
  for (const id of Object.keys(base?.snapshot ?? {})) {
    if (!(id in snapshot)) changes.push({ id, removed: true });
  }
  // event-delta.md: a round also reports, as @removed, events "outside the date range … that
  // have been added, deleted, or updated since the previous delta call".
  if (base) {
    const reported = new Set(changes.map((c) => c.id));
    const inWindow = new Set(current.map((inst) => inst.event.id));
    const known = new Set(Object.keys(base.snapshot).map((id) => id.replace(/_\d{8}$/, '')));
    for (const ev of Object.values(mbx.events)) {
      if (ev.calendarId !== w.calendarId || (ev.seq ?? 0) <= (base.seq ?? 0)) continue;
      if (inWindow.has(ev.id) || reported.has(ev.id) || known.has(ev.id)) continue;
      changes.push({ id: ev.id, removed: true });
    }
  }
  const { calendarId, start, end } = w;
  return save(store, {
    mailbox,
    calendarId,
    start,
    end,
    createdAt: store.now(),
    snapshot,
    changes,
    seq: store.state.seq ?? 0,
  });
}

export function readPage(
  store: GraphStore,
  mailbox: string,
  skipToken: string,
  pageSize: number,
): DeltaPage {
  const m = /^([A-Za-z0-9_-]+)\.(\d+)$/.exec(skipToken);
  if (!m) throw syncStateNotFound();
  const round = lookup(store, mailbox, m[1] ?? '');
  if (!round.changes) throw syncStateNotFound();
  const offset = Number(m[2]);
  const mbx = store.mailbox(mailbox);
  const items: DeltaItem[] = round.changes.slice(offset, offset + pageSize).map((c) => {
    const inst = c.removed ? null : findInstance(mbx, c.id);
    return inst ? { removed: false, inst } : { removed: true, id: c.id };
  });
  if (offset + pageSize < round.changes.length)
    return { items, skipToken: `${m[1]}.${offset + pageSize}` };
  // The final page of a round always names the same delta state.
  round.finalToken ??= save(store, { ...round, changes: undefined, createdAt: store.now() });
  return { items, deltaToken: round.finalToken };
}

export function expireDeltaStates(store: GraphStore, mailbox?: string): void {
  for (const [k, s] of Object.entries(store.state.deltaStates)) {
    if (!mailbox || s.mailbox === mailbox.toLowerCase()) delete store.state.deltaStates[k];
  }
  const contacts = store.state.contactDeltaStates ?? {};
  for (const [k, s] of Object.entries(contacts)) {
    if (!mailbox || s.mailbox === mailbox.toLowerCase()) delete contacts[k];
  }
  store.changed();
}
