/** PUT/GET/DELETE /pairing: one mailbox ↔ one CRM user (SPEC C5, C6, C7). */
import { z } from 'zod';
import type { CrmContext } from '../context';
import { SECURITY, userOf } from '../http/auth';
import { forbidden, HttpProblem, notFound, problem } from '../http/problem';
import { BODY_ERRORS, errors, json, NoContent } from '../http/responses';
import type { ZodApp } from '../http/zodApp';
import { MailboxMismatchProblemSchema } from '../schemas/problem';
import { toUtcString } from '../schemas/time';
import { EmailSchema } from '../schemas/text';
import { readCompany } from './company';
import { findUser } from './users';

const PairingSchema = z
  .object({
    mailbox: z.string().describe('The paired mailbox address (lower case).'),
    userId: z.string(),
    pairedAt: z.string(),
  })
  .meta({ id: 'Pairing', description: 'The mailbox paired with the signed-in user.' });

interface Row {
  mailbox: string;
  user_id: string;
  paired_at: number;
}

const toPairing = (r: Row) => ({
  mailbox: r.mailbox,
  userId: r.user_id,
  pairedAt: toUtcString(r.paired_at),
});
const common = { tags: ['pairing'], security: SECURITY.user };

export function pairingRoutes(app: ZodApp, ctx: CrmContext): void {
  const current = (userId: string) =>
    ctx.db.prepare('SELECT * FROM pairings WHERE user_id = ?').get(userId) as Row | undefined;

  app.put('/pairing', {
    onRequest: ctx.auth.person,
    schema: {
      ...common,
      operationId: 'pairMailbox',
      summary: 'Pair a mailbox with me',
      description:
        'Pairs the mailbox with the signed-in user; repeating it is harmless. Checked in this ' +
        'order: 403 `sync-disabled` until the company enables sync (SPEC C7); 409 ' +
        '`mailbox-paired-elsewhere` when another user has paired the mailbox (C5); 422 ' +
        "`mailbox-mismatch` naming both addresses when the mailbox is not the user's e-mail " +
        'or an alias (C6); 409 `user-already-paired` when this user has another mailbox: ' +
        'unpair it first (C5).',
      body: z.strictObject({ mailbox: EmailSchema }),
      response: {
        200: json(PairingSchema, 'Paired.'),
        ...errors(
          409,
          [422, 'The mailbox is not one of the user addresses.', MailboxMismatchProblemSchema],
          ...BODY_ERRORS,
        ),
      },
    },
    handler: async (request) => {
      const { userId, companyId } = userOf(request);
      if (!readCompany(ctx, companyId).syncEnabled) {
        throw forbidden('sync-disabled', 'Calendar sync is not enabled for your company.');
      }
      // A mailbox paired elsewhere is reported first: it is what the pane must explain.
      const mailbox = request.body.mailbox.toLowerCase();
      const holder = ctx.db
        .prepare('SELECT user_id FROM pairings WHERE mailbox = ?')
        .get(mailbox) as { user_id: string } | undefined;
      if (holder && holder.user_id !== userId) {
        throw problem(
          409,
          'mailbox-paired-elsewhere',
          'Conflict',
          'Another CRM user has paired this mailbox.',
        );
      }
      const user = findUser(ctx.db, companyId, userId);
      const addresses = user ? [user.email, ...user.aliases] : [];
      if (!addresses.some((a) => a.toLowerCase() === mailbox)) {
        throw new HttpProblem({
          status: 422,
          code: 'mailbox-mismatch',
          title: 'Mailbox does not match',
          detail: `The mailbox ${mailbox} is not the CRM user's address ${user?.email ?? ''} or one of its aliases.`,
          extra: { mailbox, userEmails: addresses },
        });
      }
      const mine = current(userId);
      if (mine && mine.mailbox.toLowerCase() !== mailbox) {
        throw problem(
          409,
          'user-already-paired',
          'Conflict',
          `You are paired with ${mine.mailbox}; unpair it first.`,
        );
      }
      if (!mine) {
        ctx.db
          .prepare('INSERT INTO pairings VALUES (?, ?, ?)')
          .run(mailbox, userId, ctx.clock.now());
      }
      return toPairing(current(userId) as Row);
    },
  });

  app.get('/pairing', {
    onRequest: ctx.auth.user,
    schema: {
      ...common,
      operationId: 'getPairing',
      summary: 'My pairing',
      description: 'The mailbox paired with the signed-in user; 404 when none.',
      response: { 200: json(PairingSchema, 'The pairing.'), ...errors(404) },
    },
    handler: async (request) => {
      const row = current(userOf(request).userId);
      if (!row) throw notFound('A pairing');
      return toPairing(row);
    },
  });

  app.delete('/pairing', {
    onRequest: ctx.auth.person,
    schema: {
      ...common,
      operationId: 'unpairMailbox',
      summary: 'Unpair my mailbox',
      description: 'Undoes the pairing of the signed-in user (SPEC C5). Idempotent.',
      response: { 204: NoContent('Unpaired.'), ...errors() },
    },
    handler: async (request, reply) => {
      ctx.db.prepare('DELETE FROM pairings WHERE user_id = ?').run(userOf(request).userId);
      return reply.code(204).send();
    },
  });
}
