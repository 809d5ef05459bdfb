/**
 * The CRM's optional bulk operations (issue 16, item 3; docs/crm-sync-api.yaml "Optional
 * features"): whether the CRM announces them (GET /capabilities, read once and only when a call
 * about several items comes), how work is split to the announced limits, and the single calls
 * when it does not. Either way every item gets its own outcome: one bad item never fails another.
 */
import * as z from 'zod';
import { type ErrorKind, SyncError } from '../sync/core/errors';
import type { ItemOutcome } from '../sync/itemPorts';
import type { CrmAuth, CrmHttp } from './http';
import { type ApiBulkResult, BulkResultSchema, CapabilitiesSchema } from './schemas';

export type BulkOperation =
  'bulkCreateActivities' | 'bulkUpdateActivities' | 'bulkReadActivities' | 'bulkSetOutlookLinks';

export interface BulkLimits {
  readonly maxItems: number;
  readonly maxBodyBytes: number;
}

/** The contract's own bounds: a CRM announcing more is held to these. */
const CONTRACT_MAX_ITEMS = 100;
const CONTRACT_MAX_BODY_BYTES = 256 * 1024;
/** `{"items":[` … `]}` and the commas between items. */
const ENVELOPE_BYTES = 16;

/** Errors about the whole side, not one item: after one, the remaining items are not tried. */
const SIDE_WIDE: ReadonlySet<ErrorKind> = new Set(['auth', 'throttled', 'offline', 'server']);

interface Api {
  readonly http: CrmHttp;
  readonly auth: CrmAuth;
}

/** What the CRM announces, read at most once per adapter (a session's lifetime). */
export class CrmCapabilities {
  private answer: Promise<z.infer<typeof CapabilitiesSchema> | null> | null = null;

  constructor(private readonly api: Api) {}

  /** The limits of `operation`, or null when the CRM does not offer it. */
  async bulk(operation: BulkOperation): Promise<BulkLimits | null> {
    this.answer ??= this.read().catch((error: unknown) => {
      this.answer = null; // a failed read (offline, throttled) is asked again next time
      throw error;
    });
    const bulk = (await this.answer)?.bulk;
    if (!bulk?.operations.includes(operation)) return null;
    return {
      maxItems: Math.min(bulk.maxItems, CONTRACT_MAX_ITEMS),
      maxBodyBytes: Math.min(bulk.maxBodyBytes, CONTRACT_MAX_BODY_BYTES),
    };
  }

  private async read() {
    try {
      const res = await this.api.http.send({
        method: 'GET',
        path: '/capabilities',
        schema: CapabilitiesSchema,
        auth: this.api.auth,
        expect: [404], // a CRM from before the optional features: none
      });
      return res.ok ? res.body : null;
    } catch (error) {
      // A document outside the contract announces nothing we can trust: single calls.
      if (error instanceof SyncError && error.kind === 'invalidData') return null;
      throw error;
    }
  }
}

const isSideWide = (error: unknown): error is SyncError =>
  error instanceof SyncError && SIDE_WIDE.has(error.kind);

/**
 * Groups entry indexes into calls of at most `maxItems` entries and `maxBodyBytes` bytes. An entry
 * too large for a bulk call on its own is left `alone` (the single call answers for it).
 */
export function packInto(
  sizes: readonly number[],
  limits: BulkLimits,
): { readonly calls: number[][]; readonly alone: number[] } {
  const calls: number[][] = [];
  const alone: number[] = [];
  let current: number[] = [];
  let bytes = ENVELOPE_BYTES;
  sizes.forEach((size, index) => {
    if (size + ENVELOPE_BYTES > limits.maxBodyBytes) {
      alone.push(index);
      return;
    }
    if (current.length >= limits.maxItems || bytes + size + 1 > limits.maxBodyBytes) {
      calls.push(current);
      current = [];
      bytes = ENVELOPE_BYTES;
    }
    current.push(index);
    bytes += size + 1;
  });
  if (current.length > 0) calls.push(current);
  return { calls, alone };
}

export interface ManyRequest<E, T> {
  readonly entries: readonly E[];
  /** The announced limits of the bulk operation, or null (asked only for two entries or more). */
  readonly limits: () => Promise<BulkLimits | null>;
  /** One entry as the bulk body carries it. */
  readonly bodyOf: (entry: E) => unknown;
  /** Sends one bulk call; its raw per-item results, in order. */
  readonly send: (bodies: readonly unknown[]) => Promise<readonly unknown[]>;
  /** One result into the value, or the error the single call would have thrown. */
  readonly fromResult: (result: ApiBulkResult) => T;
  /** The single call, when there is no bulk operation or the entry is too large for one. */
  readonly single: (entry: E) => Promise<T>;
}

/**
 * Every entry's outcome, in order, by bulk calls where the CRM offers them and single calls
 * otherwise. Never throws: a failed call is the outcome of each entry it carried, and
 * after an error about the whole side (sign-in, throttling, offline, server) the entries not yet
 * tried carry it too, so no request is made into a wall.
 */
export async function manyAtOnce<E, T>(req: ManyRequest<E, T>): Promise<ItemOutcome<T>[]> {
  const { entries } = req;
  const outcomes: ItemOutcome<T>[] = new Array<ItemOutcome<T>>(entries.length);
  let stop: SyncError | null = null;
  const fail = (index: number, error: unknown) => {
    outcomes[index] = { ok: false, error };
    if (isSideWide(error)) stop ??= error;
  };
  const one = async (index: number, entry: E) => {
    if (stop) return void (outcomes[index] = { ok: false, error: stop });
    try {
      outcomes[index] = { ok: true, value: await req.single(entry) };
    } catch (error) {
      fail(index, error);
    }
  };

  let limits: BulkLimits | null = null;
  if (entries.length >= 2) {
    try {
      limits = await req.limits();
    } catch (error) {
      entries.forEach((_, index) => fail(index, error));
      return outcomes;
    }
  }
  if (limits === null) {
    for (const [index, entry] of entries.entries()) await one(index, entry);
    return outcomes;
  }
  const encoder = new TextEncoder();
  const bodies = entries.map(req.bodyOf);
  const sizes = bodies.map((b) => encoder.encode(JSON.stringify(b)).length);
  const { calls, alone } = packInto(sizes, limits);
  for (const call of calls) {
    if (stop) {
      for (const index of call) outcomes[index] = { ok: false, error: stop };
      continue;
    }
    let results: readonly unknown[];
    try {
      results = await req.send(call.map((index) => bodies[index]));
    } catch (error) {
      for (const index of call) fail(index, error);
      continue;
    }
    call.forEach((index, position) => {
      const parsed = BulkResultSchema.safeParse(results[position]);
      if (!parsed.success) {
        // Paths only, never values (STYLE): a result is appointment content.
        const error = new SyncError(
          'invalidResponse',
          `bulk result ${position} outside the contract`,
        );
        return void (outcomes[index] = { ok: false, error });
      }
      try {
        outcomes[index] = { ok: true, value: req.fromResult(parsed.data) };
      } catch (error) {
        fail(index, error);
      }
    });
  }
  for (const index of alone) await one(index, entries[index] as E);
  return outcomes;
}

/** The raw results of one bulk call: each is checked on its own by manyAtOnce. */
export const BulkResultsEnvelope = z.object({ results: z.array(z.unknown()) });

/** The single calls, one after another, as per-item outcomes (for ports without bulk calls). */
export function oneByOne<E, T>(
  entries: readonly E[],
  single: (entry: E) => Promise<T>,
): Promise<ItemOutcome<T>[]> {
  return manyAtOnce({
    entries,
    limits: async () => null,
    bodyOf: () => null,
    send: async () => [],
    fromResult: () => {
      throw new SyncError('invalidResponse', 'no bulk call was made');
    },
    single,
  });
}
