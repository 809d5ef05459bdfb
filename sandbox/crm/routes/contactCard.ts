/**
 * The contact card (issue 7, SPEC O3): what a message from a contact person shows in Outlook — the
 * contact's customer, its open projects, and the signed-in user's recent and upcoming activities
 * with the contact. One read instead of four, so the pane answers quickly on every message.
 */
import { z } from 'zod';
import type { CrmContext } from '../context';
import type { ActivityRecord } from '../domain/activityStore';
import { ContactStore } from '../domain/contactStore';
import { SECURITY, userOf } from '../http/auth';
import { notFound } from '../http/problem';
import { errors, json } from '../http/responses';
import type { ZodApp } from '../http/zodApp';
import { ContactCardSchema } from '../schemas/extranet';
import { IdSchema } from '../schemas/text';
import { dateToUtcMs, toUtcString } from '../schemas/time';

const DAY_MS = 86_400_000;
const LIMIT = 5;

const startMs = (a: ActivityRecord) =>
  a.data.allDay ? dateToUtcMs(a.data.start) : Date.parse(a.data.start);

const summary = (a: ActivityRecord) => {
  const when = (v: string) => (a.data.allDay ? v : toUtcString(Date.parse(v)));
  return {
    id: a.id,
    subject: a.data.subject,
    typeId: a.data.typeId,
    allDay: a.data.allDay,
    start: when(a.data.start),
    end: when(a.data.end),
  };
};

export function contactCardRoutes(app: ZodApp, ctx: CrmContext): void {
  const contacts = new ContactStore(ctx.db);
  app.get('/contacts/:id/card', {
    onRequest: ctx.auth.user,
    schema: {
      tags: ['contacts'],
      security: SECURITY.user,
      operationId: 'getContactCard',
      summary: "Read a contact's card",
      description:
        "The contact's customer, the customer's open projects, and the signed-in user's " +
        'activities with the contact: at most 5 that started in the last `days` days (newest ' +
        'first) and 5 that start in the next `days` days (soonest first). A series counts by its ' +
        'first start.',
      params: z.strictObject({ id: IdSchema }),
      querystring: z.strictObject({ days: z.coerce.number().int().min(1).max(366).default(30) }),
      response: { 200: json(ContactCardSchema, 'The card.'), ...errors(404) },
    },
    handler: async (request) => {
      const { companyId, userId } = userOf(request);
      const contact = contacts.get(companyId, userId, request.params.id);
      if (!contact) throw notFound('The contact');
      const customer = contact.customerId
        ? ((ctx.db
            .prepare('SELECT id, name FROM customers WHERE id = ? AND company_id = ?')
            .get(contact.customerId, companyId) as { id: string; name: string } | undefined) ??
          null)
        : null;
      const openProjects = customer
        ? (ctx.db
            .prepare(
              `SELECT id, name, customer_id AS customerId FROM projects
               WHERE company_id = ? AND customer_id = ? AND closed = 0 ORDER BY name`,
            )
            .all(companyId, customer.id) as Array<{ id: string; name: string; customerId: string }>)
        : [];
      const now = ctx.clock.now();
      const span = request.query.days * DAY_MS;
      const withContact = ctx.activities
        .listWindow(companyId, userId, now - span, now + span)
        .filter(
          (a) =>
            !a.data.cancelled &&
            a.data.participants.some((p) => p.kind === 'contact' && p.contactId === contact.id),
        );
      const recent = withContact
        .filter((a) => startMs(a) < now && startMs(a) >= now - span)
        .sort((a, b) => startMs(b) - startMs(a));
      const upcoming = withContact
        .filter((a) => startMs(a) >= now && startMs(a) < now + span)
        .sort((a, b) => startMs(a) - startMs(b));
      return {
        customer,
        openProjects,
        recentActivities: recent.slice(0, LIMIT).map(summary),
        upcomingActivities: upcoming.slice(0, LIMIT).map(summary),
      };
    },
  });
}
