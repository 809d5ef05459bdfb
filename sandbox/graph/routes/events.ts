import type { FastifyInstance } from 'fastify';
import { scope, userPaths, type EmulatorContext } from '../context';
import { notFound } from '../errors';
import { singleInstance } from '../instances';
import { findInstance } from '../views';
import { parseExpand, parseListOptions, parseSelect, type Query } from '../query';
import { createEventSchema, patchEventSchema } from '../schemas';
import { parseBody } from '../validate';
import { checkIfMatch, render, renderCollection } from './render';

type Params = { userId?: string; calendarId?: string; eventId?: string };

/** Events: list/create per calendar (default calendar for /me/events), get/patch/delete by id. */
export function registerEventRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const collections = [
    ...userPaths('/events'),
    ...userPaths('/calendar/events'),
    ...userPaths('/calendars/:calendarId/events'),
  ];
  const items = collections.map((p) => `${p}/:eventId`);

  for (const url of collections) {
    app.get<{ Params: Params; Querystring: Query }>(url, async (req, reply) => {
      const s = scope(ctx, req, reply);
      const calendarId = ctx.store.calendarId(s.mbx, req.params.calendarId);
      const list = parseListOptions(req.query);
      const events = Object.values(s.mbx.events)
        .filter((e) => e.calendarId === calendarId && !e.deleted)
        .sort(
          (a, b) => a.createdDateTime.localeCompare(b.createdDateTime) || a.id.localeCompare(b.id),
        )
        .map(singleInstance);
      return renderCollection(req, s, events, list, `users('${s.mbx.address}')/events`);
    });

    app.post<{ Params: Params }>(url, async (req, reply) => {
      const s = scope(ctx, req, reply);
      const calendarId = ctx.store.calendarId(s.mbx, req.params.calendarId);
      const input = parseBody(createEventSchema, req.body, 'event', { stripReadOnly: true });
      const { event } = ctx.store.create(s.mbx, calendarId, input);
      const inst = singleInstance(event);
      void reply.header('ETag', `W/"${inst.changeKey}"`);
      void reply.header('Location', `${s.baseUrl}/users('${s.mbx.userId}')/events('${inst.id}')`);
      return reply.code(201).send({
        '@odata.context': `${s.baseUrl}/$metadata#users('${s.mbx.address}')/events/$entity`,
        ...render(inst, s),
      });
    });
  }

  const load = (s: ReturnType<typeof scope>, p: Params, calendarScoped = false) => {
    if (p.calendarId !== undefined) ctx.store.calendarId(s.mbx, p.calendarId);
    // Deleted Items is not a calendar: only the mailbox-wide /events/{id} reaches its events.
    const inst = findInstance(s.mbx, p.eventId ?? '', {
      includeDeleted: p.calendarId === undefined && !calendarScoped,
    });
    if (!inst || (p.calendarId !== undefined && inst.event.calendarId !== p.calendarId))
      throw notFound();
    return inst;
  };

  for (const url of items) {
    const viaCalendar = url.includes('/calendar');
    app.get<{ Params: Params; Querystring: Query }>(url, async (req, reply) => {
      const s = scope(ctx, req, reply);
      const inst = load(s, req.params, viaCalendar);
      const opts = {
        select: parseSelect(req.query.$select),
        expandExtended: parseExpand(req.query.$expand),
      };
      void reply.header('ETag', `W/"${inst.changeKey}"`);
      return {
        '@odata.context': `${s.baseUrl}/$metadata#users('${s.mbx.address}')/events/$entity`,
        ...render(inst, s, opts),
      };
    });

    app.patch<{ Params: Params }>(url, async (req, reply) => {
      const s = scope(ctx, req, reply);
      const inst = load(s, req.params, viaCalendar);
      checkIfMatch(req, inst);
      const input = parseBody(patchEventSchema, req.body, 'event', { stripReadOnly: true });
      const updated = ctx.store.patch(s.mbx, inst, input);
      void reply.header('ETag', `W/"${updated.changeKey}"`);
      return {
        '@odata.context': `${s.baseUrl}/$metadata#users('${s.mbx.address}')/events/$entity`,
        ...render(updated, s),
      };
    });

    app.delete<{ Params: Params }>(url, async (req, reply) => {
      const s = scope(ctx, req, reply);
      const inst = load(s, req.params, viaCalendar);
      checkIfMatch(req, inst);
      ctx.store.remove(s.mbx, inst);
      return reply.code(204).send();
    });
  }
}
