import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Instance } from '../instances';
import { scope, userPaths, type EmulatorContext } from '../context';
import { GraphError, notFound } from '../errors';
import { seriesInstances } from '../instances';
import { calendarView, findInstance } from '../views';
import { parseListOptions, type Query } from '../query';
import { parseQueryInstant } from '../timezones';
import { renderCollection } from './render';

type Params = { userId?: string; calendarId?: string; eventId?: string };

/** Graph: calendarView and instances need a window; without it the request is a 400. */
export function requireWindow(q: Query): { start: number; end: number } {
  if (!q.startDateTime || !q.endDateTime) {
    throw new GraphError(
      400,
      'ErrorInvalidParameter',
      'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
    );
  }
  const start = parseQueryInstant(q.startDateTime, 'startDateTime');
  const end = parseQueryInstant(q.endDateTime, 'endDateTime');
  if (end <= start)
    throw new GraphError(400, 'ErrorInvalidParameter', 'endDateTime must be after startDateTime.');
  return { start, end };
}

/** Graph's query parameter names are case-insensitive (startdatetime works too). */
export function normalizeQuery(q: Query): Query {
  const out: Query = {};
  for (const [k, v] of Object.entries(q)) {
    const lower = k.toLowerCase();
    const name =
      lower === 'startdatetime'
        ? 'startDateTime'
        : lower === 'enddatetime'
          ? 'endDateTime'
          : k.startsWith('$')
            ? lower
            : k;
    out[name] = Array.isArray(v) ? String(v[0]) : v;
  }
  return out;
}

/** A stable order unrelated to start: by a hash of the id. */
export function unsorted(list: Instance[]): Instance[] {
  const key = (id: string) => createHash('sha1').update(id).digest('hex');
  return list
    .map((inst) => ({ inst, k: key(inst.id) }))
    .sort((a, b) => a.k.localeCompare(b.k))
    .map((x) => x.inst);
}

export function registerViewRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const views = [
    ...userPaths('/calendarView'),
    ...userPaths('/calendar/calendarView'),
    ...userPaths('/calendars/:calendarId/calendarView'),
  ];
  for (const url of views) {
    app.get<{ Params: Params; Querystring: Query }>(url, async (req, reply) => {
      const s = scope(ctx, req, reply);
      const q = normalizeQuery(req.query);
      const calendarId = ctx.store.calendarId(s.mbx, req.params.calendarId);
      const { start, end } = requireWindow(q);
      const list = parseListOptions(q);
      const all = calendarView(s.mbx, calendarId, start, end);
      return renderCollection(req, s, all, list, `users('${s.mbx.address}')/calendarView`);
    });
  }

  for (const url of [
    ...userPaths('/events/:eventId/instances'),
    ...userPaths('/calendars/:calendarId/events/:eventId/instances'),
  ]) {
    app.get<{ Params: Params; Querystring: Query }>(url, async (req, reply) => {
      const s = scope(ctx, req, reply);
      const q = normalizeQuery(req.query);
      const inst = findInstance(s.mbx, req.params.eventId ?? '');
      if (!inst) throw notFound();
      const { start, end } = requireWindow(q);
      const list = parseListOptions(q);
      // Instances of a single event is an empty list in Graph; of an occurrence, a 400.
      if (inst.type === 'occurrence' || inst.type === 'exception') {
        throw new GraphError(
          400,
          'ErrorInvalidRequest',
          'The instances of an occurrence cannot be listed; use the series master.',
        );
      }
      // Graph does not sort instances (issue 12: they come unsorted); the emulator hands them
      // out in a fixed order that is not by start, so no client can come to rely on one.
      const all =
        inst.type === 'seriesMaster' ? unsorted(seriesInstances(inst.event, start, end)) : [];
      return renderCollection(
        req,
        s,
        all,
        list,
        `users('${s.mbx.address}')/events('${inst.id}')/instances`,
      );
    });
  }
}
