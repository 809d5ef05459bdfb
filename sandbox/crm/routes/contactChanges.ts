/** GET /contacts/changes: the contacts' change feed the sync engine pulls (SPEC K2). */
import { z } from 'zod';
import type { CrmContext } from '../context';
import { decodeContactCursor, readContactChanges } from '../domain/contactChanges';
import { ContactStore } from '../domain/contactStore';
import { SECURITY, userOf } from '../http/auth';
import { errors, json } from '../http/responses';
import type { ZodApp } from '../http/zodApp';
import { ContactSchema } from '../schemas/contact';
import { toUtcString } from '../schemas/time';

const ContactChangeSchema = z
  .discriminatedUnion('deleted', [
    z.object({
      id: z.string(),
      deleted: z.literal(false),
      changedAt: z.string(),
      contact: ContactSchema,
    }),
    z.object({ id: z.string(), deleted: z.literal(true), changedAt: z.string() }),
  ])
  .meta({
    id: 'ContactChange',
    description:
      'The current state of a changed contact (archived ones too, with the signed-in ' +
      "user's own mark), or a tombstone when it was deleted.",
  });

const ContactChangePageSchema = z
  .object({
    items: z.array(ContactChangeSchema).describe('Each contact at most once per page.'),
    nextCursor: z.string().describe('Pass as `cursor` next time. Opaque: do not parse.'),
    hasMore: z.boolean().describe('True: call again at once with nextCursor.'),
  })
  .meta({ id: 'ContactChangePage', description: 'One page of the contacts change feed.' });

export function contactChangeRoutes(app: ZodApp, ctx: CrmContext): void {
  const store = new ContactStore(ctx.db);
  app.get('/contacts/changes', {
    onRequest: ctx.auth.user,
    schema: {
      tags: ['contacts'],
      security: SECURITY.user,
      operationId: 'listContactChanges',
      summary: 'Contact changes since a cursor',
      description:
        "Every change to the company's contacts since `cursor`, tombstones of deleted ones " +
        'included, as the current state of each changed contact; `syncToOutlook` is the ' +
        "signed-in user's own mark (SPEC K2: what to sync to their Outlook), and a change of " +
        'a mark is a change. Without a cursor the feed lists every contact, archived ones ' +
        'too (a full sync). Page with `limit` while `hasMore`. A cursor older than the ' +
        'retained log gives 410 `cursor-expired` (resync without a cursor); a malformed one ' +
        'gives 400 `invalid-cursor`.',
      querystring: z.strictObject({
        cursor: z.string().min(1).max(200).optional().describe('The nextCursor of the last page.'),
        limit: z.coerce.number().int().min(1).max(500).default(100).describe('Page size, ≤ 500.'),
      }),
      response: {
        200: json(ContactChangePageSchema, 'One page of contact changes.'),
        ...errors([410, 'The cursor is too old (`cursor-expired`): resync without a cursor.']),
      },
    },
    handler: async (request) => {
      const { companyId, userId } = userOf(request);
      const from = decodeContactCursor(ctx.db, request.query.cursor);
      const { page, hasMore, nextCursor } = readContactChanges(
        ctx.db,
        companyId,
        from,
        request.query.limit,
      );
      const items = page.map(({ contactId, changedAt }) => {
        const contact = store.get(companyId, userId, contactId);
        const at = toUtcString(changedAt ?? ctx.clock.now());
        if (!contact) return { id: contactId, deleted: true as const, changedAt: at };
        return { id: contactId, deleted: false as const, changedAt: at, contact };
      });
      return { items, nextCursor, hasMore };
    },
  });
}
