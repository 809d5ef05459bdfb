/**
 * An in-memory CRM that behaves like the CRM Sync API for the engine's tests (STYLE: vdirsyncer
 * and Replicache test against a fake that passes the same contract suite as the real adapter).
 * Cursors are sequence numbers, deletions leave tombstones, creates are idempotent per key,
 * updates need the current etag (412 → ConflictError with the current activity), the lease is a
 * compare-and-set against an injectable clock. `backend.as(userId)` is one user's view
 * (inMemoryCrmActivities.ts).
 */
import type { SyncError } from '../../src/sync/core/errors';
import type { CalendarItem } from '../../src/sync/core/model';
import type { CrmActivities, CrmActivity, CrmActivityInput, CrmLease } from '../../src/sync/ports';
import { InMemoryCrmActivities } from './inMemoryCrmActivities';

export interface Row {
  id: string;
  version: number;
  ownerId: string;
  input: CrmActivityInput;
  item: CalendarItem;
  completed: boolean;
  cancelled: boolean;
  links: Map<string, { mailbox: string; eventId: string }>;
  lastModified: string;
  deleted: boolean;
}

type Method = keyof CrmActivities;
interface Fault {
  method: Method | null;
  remaining: number;
  error: () => SyncError;
}

export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
export const clone = <T>(v: T): T => structuredClone(v);
export const bounds = (item: CalendarItem): [string, string] =>
  item.time.kind === 'timed'
    ? [item.time.start, item.time.end]
    : [`${item.time.startDate}T00:00:00Z`, `${item.time.endDate}T00:00:00Z`];

export class InMemoryCrmBackend {
  readonly rows = new Map<string, Row>();
  /** The change log: one entry per change, in order; seq = index + 1. */
  readonly log: { id: string; users: Set<string> }[] = [];
  readonly idempotency = new Map<string, { input: string; snapshot: CrmActivity }>();
  readonly leases = new Map<string, CrmLease>();
  /** Bumped by expireCursors(): cursors carry the generation they were issued in. */
  private generation = 0;
  private nextId = 1;
  private faults: Fault[] = [];

  constructor(readonly now: () => number = Date.now) {}

  as(userId: string): InMemoryCrmActivities {
    return new InMemoryCrmActivities(this, userId);
  }

  /** Every cursor handed out so far becomes too old (the next changes() with it → 410). */
  expireCursors(): void {
    this.generation += 1;
  }

  /** The next `times` calls (of `method`, or any) throw `error` before doing anything. */
  failNext(error: () => SyncError, opts: { method?: Method; times?: number } = {}): void {
    this.faults.push({ method: opts.method ?? null, remaining: opts.times ?? 1, error });
  }

  /** @internal */ checkFault(method: Method): void {
    const f = this.faults.find((x) => x.method === null || x.method === method);
    if (!f) return;
    f.remaining -= 1;
    if (f.remaining <= 0) this.faults = this.faults.filter((x) => x !== f);
    throw f.error();
  }

  /** @internal */ cursor(): string {
    return `c${this.generation}.${this.log.length}`;
  }

  /** @internal The sequence number a cursor stands for; null when expired or malformed. */
  seqOf(cursor: string): number | null {
    const m = /^c(\d+)\.(\d+)$/.exec(cursor);
    return m && Number(m[1]) === this.generation ? Number(m[2]) : null;
  }

  /** @internal */ newId(): string {
    return `act_${this.nextId++}`;
  }

  /** Who may see the row: the owner and the CRM users taking part (SPEC F3, F4). */
  visibleTo(row: Row): Set<string> {
    const users = new Set([row.ownerId]);
    for (const p of row.item.participants) if (p.kind === 'user' && p.crmId) users.add(p.crmId);
    return users;
  }

  /** @internal */ touch(row: Row, before: Set<string>): void {
    row.version += 1;
    row.lastModified = iso(this.now());
    const users = new Set([...before, ...(row.deleted ? [] : this.visibleTo(row))]);
    this.log.push({ id: row.id, users });
  }

  view(row: Row): CrmActivity {
    return clone({
      id: row.id,
      etag: `"${row.id}.${row.version}"`,
      item: { ...row.item, isCancelled: row.cancelled },
      crm: {
        typeId: row.input.typeId,
        relations: row.input.relations ?? { customerId: null, projectId: null, salesCaseId: null },
        completed: row.completed,
        ownerId: row.ownerId,
      },
      cancelled: row.cancelled,
      outlookLinks: [...row.links.values()],
      lastModified: row.lastModified,
    });
  }
}
