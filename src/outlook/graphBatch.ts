import * as z from 'zod';
import type { SyncError } from '../sync/core/errors';
import { PREFER, type GraphClient } from './graphClient';
import { parseBody } from './graphBody';
import { invalidResponse, retryAfterMs, toSyncError, type ErrorContext } from './graphErrors';

/** Graph JSON batching: "up to 20 requests" per $batch (https://learn.microsoft.com/graph/json-batching). */
export const MAX_BATCH = 20;

export interface BatchItem<T> {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the version root, e.g. `/me/events/{id}?$select=id`. */
  readonly url: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly schema: z.ZodType<T> | null;
  readonly notFound?: ErrorContext['notFound'];
}

export type BatchResult<T> =
  | { readonly ok: true; readonly status: number; readonly data: T }
  | { readonly ok: false; readonly status: number; readonly error: SyncError };

const envelopeSchema = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number().int(),
      headers: z.record(z.string(), z.string()).nullish(),
      body: z.unknown().optional(),
    }),
  ),
});

/** The longest per-item Retry-After waited for inside a batch; longer ends the item throttled. */
const MAX_ITEM_WAIT_MS = 60_000;

/**
 * Runs `items` in $batch envelopes of at most 20 and returns one result per item, in order.
 * Each sub-request is throttled on its own (Graph answers 429 per item inside a 200 envelope,
 * concepts/json-batching.md "Batch size limitations"): those are sent again after the longest
 * Retry-After, up to `maxRounds` times. A 424 Failed Dependency (json-batching.md, "Sequencing
 * requests with the dependsOn property") says nothing about the item itself — only that one it
 * depended on failed — so it is sent again on its own in the next round, like a throttled one.
 * The envelope counts as its sub-requests against the pacer and the gate (GraphRequest.cost).
 */
export async function runBatch<T>(
  client: GraphClient,
  items: readonly BatchItem<T>[],
  options: { readonly maxRounds?: number } = {},
): Promise<BatchResult<T>[]> {
  const results = new Array<BatchResult<T> | undefined>(items.length);
  let pending = items.map((_, i) => i);
  for (let round = 1; pending.length > 0; round++) {
    const throttled: number[] = [];
    let wait = 0;
    for (let at = 0; at < pending.length; at += MAX_BATCH) {
      const chunk = pending.slice(at, at + MAX_BATCH);
      const { data } = await client.request({
        method: 'POST',
        path: '/$batch',
        cost: chunk.length,
        body: {
          requests: chunk.map((i) => {
            const it = items[i] as BatchItem<T>;
            const hasBody = it.body !== undefined;
            return {
              id: String(i),
              method: it.method,
              url: client.rooted(it.url),
              ...(hasBody ? { body: it.body } : {}),
              // Graph applies a sub-request's own headers only: Prefer must ride on each one,
              // or ids come back mutable and times in the event's zone.
              headers: {
                Prefer: PREFER,
                ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
                ...it.headers,
              },
            };
          }),
        },
        schema: envelopeSchema,
      });
      for (const i of chunk) {
        const it = items[i] as BatchItem<T>;
        const res = data.responses.find((r) => r.id === String(i));
        if (!res) {
          results[i] = { ok: false, status: 0, error: invalidResponse('a batch item is missing') };
          continue;
        }
        const headers = lowerKeys(res.headers ?? {});
        const after = retryAfterMs(headers['retry-after'] ?? null);
        const lastRound = round >= (options.maxRounds ?? 4);
        const throttledItem = res.status === 429 || res.status === 503;
        if (throttledItem && !lastRound && (after ?? 0) <= MAX_ITEM_WAIT_MS) {
          throttled.push(i);
          wait = Math.max(wait, after ?? 1000);
          continue;
        }
        if (res.status === 424 && !lastRound) {
          throttled.push(i); // its dependency failed, not it: once more, alone
          continue;
        }
        results[i] = settle(it, res.status, res.body, after);
      }
    }
    if (throttled.length > 0) await client.sleep(wait);
    pending = throttled;
  }
  return results.map((r) => r as BatchResult<T>);
}

function settle<T>(
  item: BatchItem<T>,
  status: number,
  body: unknown,
  after: number | null,
): BatchResult<T> {
  if (status >= 300) {
    const ctx = { notFound: item.notFound ?? 'itemNotFound', retryAfterMs: after ?? undefined };
    return { ok: false, status, error: toSyncError(status, body, ctx) };
  }
  try {
    const text = body === undefined ? '' : JSON.stringify(body);
    return { ok: true, status, data: parseBody(item.schema, text) };
  } catch (err) {
    return { ok: false, status, error: err as SyncError };
  }
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}
