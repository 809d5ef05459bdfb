import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../context';
import { badRequest, errorBody } from '../errors';
import { batchSchema } from '../schemas';
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
 * POST /v1.0/$batch. Sub-requests run one at a time in listed order through the same routes
 * (app.inject), so each one passes auth, throttling and faults. A request whose dependsOn names
 * a failed request gets 424 Failed Dependency, as Graph documents.
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
    for (const r of requests) {
      const failed = (r.dependsOn ?? []).find((d) => (status.get(d) ?? 0) >= 400);
      if (failed !== undefined) {
        status.set(r.id, 424);
        responses.push({
          id: r.id,
          status: 424,
          headers: { 'content-type': 'application/json' },
          body: errorBody('FailedDependency', `Dependency '${failed}' failed.`, ctx.now()),
        });
        continue;
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
        continue;
      }
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
    }
    return { responses };
  });
}
