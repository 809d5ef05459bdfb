import type { FastifyInstance } from 'fastify';
import { scope, userPaths, type EmulatorContext } from '../context';
import { GraphError } from '../errors';
import { readPage, startRound } from '../delta';
import type { Query } from '../query';
import { DEFAULT_PAGE_SIZE, render } from './render';
import { normalizeQuery, requireWindow } from './views';

type Params = { userId?: string; calendarId?: string };

/** Graph: delta on calendarView supports neither $select nor $expand, $filter, $orderby, $search. */
const UNSUPPORTED = ['$select', '$expand', '$filter', '$orderby', '$search', '$top', '$skip'];

export function registerDeltaRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const urls = [
    ...userPaths('/calendarView/delta'),
    ...userPaths('/calendar/calendarView/delta'),
    ...userPaths('/calendars/:calendarId/calendarView/delta'),
  ];
  for (const url of urls) {
    app.get<{ Params: Params; Querystring: Query }>(url, async (req, reply) => {
      const s = scope(ctx, req, reply);
      const q = normalizeQuery(req.query);
      for (const k of UNSUPPORTED) {
        if (q[k] !== undefined) {
          throw new GraphError(
            400,
            'ErrorInvalidUrlQuery',
            `The query parameter '${k}' is not supported with delta on calendarView.`,
          );
        }
      }
      const address = s.mbx.address;
      let skipToken = q.$skiptoken;
      if (skipToken === undefined) {
        const round =
          q.$deltatoken !== undefined
            ? startRound(ctx.store, address, { baseToken: q.$deltatoken })
            : startRound(ctx.store, address, {
                calendarId: ctx.store.calendarId(s.mbx, req.params.calendarId),
                ...requireWindow(q),
              });
        skipToken = `${round}.0`;
      }
      const page = readPage(
        ctx.store,
        address,
        skipToken,
        s.prefs.maxPageSize ?? DEFAULT_PAGE_SIZE,
      );
      const base = `${s.baseUrl}${req.url.split('?')[0]?.replace(/^\/v1\.0/, '') ?? ''}`;
      const body: Record<string, unknown> = {
        '@odata.context': `${s.baseUrl}/$metadata#Collection(event)`,
        value: page.items.map((item) =>
          item.removed
            ? {
                '@odata.type': '#microsoft.graph.event',
                id: item.id,
                '@removed': { reason: 'deleted' },
              }
            : // delta-query-events.md's sample: every entry names its @odata.type.
              { '@odata.type': '#microsoft.graph.event', ...render(item.inst, s) },
        ),
      };
      if (page.skipToken) body['@odata.nextLink'] = `${base}?$skiptoken=${page.skipToken}`;
      else body['@odata.deltaLink'] = `${base}?$deltatoken=${page.deltaToken ?? ''}`;
      return body;
    });
  }
}
