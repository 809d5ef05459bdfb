/**
 * The message view's CRM side (issue 7): the sender's contact person found by e-mail address, their
 * card (customer, open projects, recent and upcoming activities), and an activity made from the
 * mail with the contact as participant.
 */
import * as z from 'zod';
import { ContactPageSchema, ContactSchema } from './directorySchemas';
import { crmSubject, multiLineText } from '../sync/core/crmText';
import type { CrmAuth, CrmHttp } from './http';

const Str = z.string();

export const ActivitySummarySchema = z.object({
  id: Str,
  subject: Str,
  typeId: Str,
  allDay: z.boolean(),
  start: Str,
  end: Str,
});

export const ContactCardSchema = z.object({
  customer: z.object({ id: Str, name: Str }).nullable(),
  openProjects: z.array(z.object({ id: Str, name: Str, customerId: Str })),
  recentActivities: z.array(ActivitySummarySchema),
  upcomingActivities: z.array(ActivitySummarySchema),
});

/** What a created activity answers with that the view needs. */
export const CreatedActivitySchema = z.object({ id: Str.min(1), subject: Str, start: Str });

export type CrmContact = z.infer<typeof ContactSchema>;
export type ContactCard = z.infer<typeof ContactCardSchema>;
export type ActivitySummary = z.infer<typeof ActivitySummarySchema>;

export interface MailActivityInput {
  readonly subject: string;
  readonly description: string;
  readonly typeId: string;
  readonly contactId: string;
  /** UTC instants. */
  readonly start: string;
  readonly end: string;
  readonly timeZone: string;
  /** Repeating a create with the same key gives the same activity (the contract's idempotency). */
  readonly idempotencyKey: string;
}

export class CrmContactCard {
  constructor(private readonly session: { readonly http: CrmHttp } & CrmAuth) {}

  /** The active contact person with exactly this e-mail address (case-insensitive), if any. */
  async findByEmail(email: string): Promise<CrmContact | null> {
    const wanted = email.trim().toLowerCase();
    if (wanted === '' || wanted.length > 100) return null;
    const page = await this.session.http.call({
      method: 'GET',
      path: '/contacts',
      query: { q: wanted, limit: '50' },
      schema: ContactPageSchema,
      auth: this.session,
    });
    return page.items.find((c) => !c.archived && c.email?.toLowerCase() === wanted) ?? null;
  }

  async contactsOfCustomer(customerId: string): Promise<CrmContact[]> {
    const page = await this.session.http.call({
      method: 'GET',
      path: '/contacts',
      query: { customerId, limit: '200' },
      schema: ContactPageSchema,
      auth: this.session,
    });
    return page.items;
  }

  async contact(contactId: string): Promise<CrmContact | null> {
    const res = await this.session.http.send({
      method: 'GET',
      path: `/contacts/${encodeURIComponent(contactId)}`,
      schema: ContactSchema,
      auth: this.session,
      expect: [404],
    });
    return res.ok ? res.body : null;
  }

  async card(contactId: string, days = 30): Promise<ContactCard> {
    return this.session.http.call({
      method: 'GET',
      path: `/contacts/${encodeURIComponent(contactId)}/card`,
      query: { days: String(days) },
      schema: ContactCardSchema,
      auth: this.session,
    });
  }

  /** Issue 7: an activity from a mail — its subject and text, the sender as participant. */
  async createFromMail(input: MailActivityInput): Promise<z.infer<typeof CreatedActivitySchema>> {
    return this.session.http.call({
      method: 'POST',
      path: '/activities',
      headers: { 'Idempotency-Key': input.idempotencyKey },
      body: {
        // Issue 14 item 3: the sync path's cleaning (one module), an empty subject included.
        subject: crmSubject(input.subject),
        description: multiLineText(input.description),
        start: input.start,
        end: input.end,
        timeZone: input.timeZone,
        typeId: input.typeId,
        participants: [{ kind: 'contact', contactId: input.contactId, optional: false }],
      },
      schema: CreatedActivitySchema,
      auth: this.session,
    });
  }
}
