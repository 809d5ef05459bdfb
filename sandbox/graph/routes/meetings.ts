import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { scope, userPaths, type EmulatorContext } from '../context';
import { GraphError, notFound } from '../errors';
import { newChangeKey } from '../fields';
import { attendeeAddresses, cancelCopies, logMail, organizerEvent } from '../meetings';
import { dateTimeTimeZoneSchema } from '../schemas';
import { parseBody } from '../validate';
import { findInstance } from '../views';
import type { StoredEvent } from '../types';

type Params = { userId?: string; calendarId?: string; eventId?: string };

/** event-accept.md / event-tentativelyaccept.md / event-decline.md request bodies. */
const responseSchema = z.strictObject({
  comment: z.string().nullish(),
  sendResponse: z.boolean().nullish(),
  proposedNewTime: z
    .strictObject({ start: dateTimeTimeZoneSchema, end: dateTimeTimeZoneSchema })
    .nullish(),
});
const cancelSchema = z.strictObject({ comment: z.string().nullish() });

const inCalendar = (ev: StoredEvent, calendarId: string | undefined): boolean =>
  calendarId === undefined || ev.calendarId === calendarId;

const ANSWERS = {
  accept: 'accepted',
  tentativelyAccept: 'tentativelyAccepted',
  decline: 'declined',
} as const;

/**
 * Meeting actions: an attendee answers an invitation (accept, tentativelyAccept, decline), the
 * organizer cancels (cancel). All answer 202 Accepted with no body, as the pages document.
 */
export function registerMeetingRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const bases = [
    ...userPaths('/events/:eventId'),
    ...userPaths('/calendar/events/:eventId'),
    ...userPaths('/calendars/:calendarId/events/:eventId'),
  ];
  for (const base of bases) {
    for (const [action, answer] of Object.entries(ANSWERS)) {
      app.post<{ Params: Params }>(`${base}/${action}`, async (req, reply) => {
        const s = scope(ctx, req, reply);
        const body = parseBody(responseSchema, req.body ?? {}, 'action');
        const inst = findInstance(s.mbx, req.params.eventId ?? '');
        if (!inst || !inCalendar(inst.event, req.params.calendarId)) throw notFound();
        const copy = inst.event;
        if (!copy.organizerRef) {
          // The organizer's own event has no invitation to answer.
          throw new GraphError(
            400,
            'ErrorInvalidRequest',
            "Your request can't be completed. You can't respond to a meeting you organized.",
          );
        }
        const time = new Date(ctx.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
        copy.response = { response: answer, time };
        copy.fields = {
          ...copy.fields,
          showAs: answer === 'tentativelyAccepted' ? 'tentative' : 'busy',
        };
        copy.changeKey = newChangeKey();
        copy.lastModifiedDateTime = ctx.store.stamp();
        ctx.store.touch(copy);
        // event-decline.md: a declined meeting leaves the calendar (to Deleted Items).
        if (answer === 'declined') copy.deleted = true;
        // The organizer's tracking list records the answer when a response is sent.
        const org = organizerEvent(ctx.store, copy);
        if (org && body.sendResponse !== false) {
          const me = s.mbx.address;
          org.ev.fields = {
            ...org.ev.fields,
            attendees: org.ev.fields.attendees.map((a) =>
              (a.emailAddress.address ?? '').toLowerCase() === me
                ? { ...a, status: { response: answer, time } }
                : a,
            ),
          };
          org.ev.changeKey = newChangeKey();
          org.ev.lastModifiedDateTime = ctx.store.stamp();
          ctx.store.touch(org.ev);
        }
        ctx.store.changed();
        return reply.code(202).send();
      });
    }

    app.post<{ Params: Params }>(`${base}/cancel`, async (req, reply) => {
      const s = scope(ctx, req, reply);
      parseBody(cancelSchema, req.body ?? {}, 'action');
      const inst = findInstance(s.mbx, req.params.eventId ?? '');
      if (!inst || !inCalendar(inst.event, req.params.calendarId)) throw notFound();
      // event-cancel.md: "An attendee calling this action gets an error (HTTP 400 Bad Request)".
      if (inst.event.organizerRef) {
        throw new GraphError(
          400,
          'ErrorAccessDenied',
          "Your request can't be completed. You need to be an organizer to cancel a meeting.",
        );
      }
      if (inst.type === 'occurrence' || inst.type === 'exception') {
        ctx.store.remove(s.mbx, inst);
      } else {
        // cancel = cancellation to every attendee + the event to Deleted Items (as DELETE).
        const ev = inst.event;
        const attendees = attendeeAddresses(ev.fields);
        ev.deleted = true;
        ev.changeKey = newChangeKey();
        ctx.store.touch(ev);
        logMail(ctx.store, 'cancellation', s.mbx, attendees, ev);
        cancelCopies(ctx.store, s.mbx, ev, attendees);
      }
      ctx.store.changed();
      return reply.code(202).send();
    });
  }
}
