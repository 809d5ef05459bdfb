import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../context';
import { badRequest, errorBody } from '../errors';
import { batchSchema, type BatchInput } from '../schemas';
import { parseBody } from '../validate';

/** Graph: "JSON batching allows you to combine up to 20 requests". */
export const MAX_BATCH = 20;
const FORWARDED = [
  'content-type',
  'etag',
  'retry-after',
  'location',
  'preference-applied',
  'client-request-id',
];

interface SubResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * Outlook runs at most 4 sub-requests of a batch at a time (concepts/throttling.md, "Throttling
 * and batching"; concepts/throttling-limits.md: 4 concurrent requests per app and mailbox).
 */
export const BATCH_PARALLELISM = 4;

type BatchRequest = BatchInput['requests'][number];

/**
 * POST /v1.0/$batch (concepts/json-batching.md). Sub-requests run up to 4 at a time through the
 * same routes (app.inject), so each one passes auth, the request budget, the concurrency limit
 * and faults, and counts like any request: against the per-app-per-mailbox budget (10,000 per
 * 10 minutes, concepts/throttling-limits.md "Outlook service limits"; faults.ts RequestBudget,
 * settable by POST /sandbox/budget) — a sub-request over it answers its own 429 with Retry-After
 * inside the 200 envelope ("Requests in a batch are evaluated individually against the applicable
 * throttling limits", concepts/json-batching.md "Batch size limitations"). A request with dependsOn waits for those; one whose
 * dependency failed gets 424 Failed Dependency. Responses come in completion order ("Individual
 * responses might appear in a different order than the requests").
 */
export function registerBatchRoute(app: FastifyInstance, ctx: EmulatorContext): void {
  app.post('/$batch', async (req: FastifyRequest) => {
    const { requests } = parseBody(batchSchema, req.body, 'batchRequest');
    if (requests.length > MAX_BATCH) {
      throw badRequest(
        `The number of batch requests exceeds the limit of ${MAX_BATCH}.`,
        'BadRequest',
      );
    }
    const seen = new Set<string>();
    for (const r of requests) {
      if (seen.has(r.id)) throw badRequest(`Batch request id '${r.id}' is not unique.`);
      for (const d of r.dependsOn ?? []) {
        if (!seen.has(d))
          throw badRequest(`Request '${r.id}' depends on '${d}', which is not an earlier request.`);
      }
      if (
        r.body !== undefined &&
        !Object.keys(r.headers ?? {}).some((h) => h.toLowerCase() === 'content-type')
      ) {
        throw badRequest(`Request '${r.id}' has a body but no Content-Type header.`);
      }
      seen.add(r.id);
    }
    const status = new Map<string, number>();
    const responses: SubResponse[] = [];
    const done = new Map<string, Promise<void>>();
    let running = 0;
    const waiting: (() => void)[] = [];
    const slot = async (): Promise<void> => {
      while (running >= BATCH_PARALLELISM) await new Promise<void>((r) => waiting.push(r));
      running++;
    };
    const free = (): void => {
      running--;
      waiting.shift()?.();
    };
    const runOne = async (r: BatchRequest): Promise<void> => {
      await Promise.all((r.dependsOn ?? []).map((d) => done.get(d)));
      const failed = (r.dependsOn ?? []).find((d) => (status.get(d) ?? 0) >= 400);
      if (failed !== undefined) {
        status.set(r.id, 424);
        responses.push({
          id: r.id,
          status: 424,
          headers: { 'content-type': 'application/json' },
          body: errorBody('FailedDependency', `Dependency '${failed}' failed.`, ctx.now()),
        });
        return;
      }
      const url = r.url.startsWith('/') ? r.url : `/${r.url}`;
      if (/^https?:/i.test(r.url) || url.startsWith('/v1.0/') || url.startsWith('/beta/')) {
        status.set(r.id, 400);
        responses.push({
          id: r.id,
          status: 400,
          headers: {},
          body: errorBody(
            'BadRequest',
            'Batch request urls must be relative, e.g. /me/events.',
            ctx.now(),
          ),
        });
        return;
      }
      await slot();
      try {
        const res = await app.inject({
          method: r.method,
          url: `/v1.0${url}`,
          headers: {
            authorization: req.headers.authorization ?? '',
            host: req.headers.host ?? 'localhost',
            ...r.headers,
            'x-emulator-internal': ctx.internalSecret,
          },
          ...(r.body !== undefined ? { payload: JSON.stringify(r.body) } : {}),
        });
        const headers: Record<string, string> = {};
        for (const h of FORWARDED) {
          const v = res.headers[h];
          if (v !== undefined) headers[h] = String(v);
        }
        const isJson =
          String(res.headers['content-type'] ?? '').includes('json') && res.body.length > 0;
        status.set(r.id, res.statusCode);
        responses.push({
          id: r.id,
          status: res.statusCode,
          headers,
          ...(isJson ? { body: res.json() } : {}),
        });
      } finally {
        free();
      }
    };
    for (const r of requests) done.set(r.id, runOne(r));
    await Promise.all(done.values());
    return { responses };
  });
}
