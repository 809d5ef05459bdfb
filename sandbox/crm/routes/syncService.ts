/**
 * Issue 17: what the company's always-on sync service reads with its `service` key (server to
 * server, no session): the paired mailboxes it syncs, and the prompt change signal — a long-poll
 * of the change logs (docs/ARCHITECTURE.md "Always-on sync service" says why not webhooks).
 */
import { z } from 'zod';
import type { CrmContext } from '../context';
import {
  bellOf,
  changedMailboxes,
  decodeSignalCursor,
  encodeSignalCursor,
  signalHead,
} from '../domain/changeSignal';
import { authOf, SECURITY } from '../http/auth';
import { HttpProblem } from '../http/problem';
import { errors, json } from '../http/responses';
import type { ZodApp } from '../http/zodApp';
import { LanguageSchema } from '../schemas/text';
import { readCompany } from './company';

const PairedMailboxSchema = z
  .object({
    mailbox: z
      .string()
      .describe('The paired mailbox (lower case): name it to POST /sessions/service.'),
    userId: z.string(),
    timeZone: z.string().describe('The user’s IANA time zone.'),
    language: LanguageSchema,
  })
  .meta({ id: 'PairedMailbox', description: 'A mailbox paired with a CRM user of the company.' });

const SyncServiceMailboxesSchema = z
  .object({
    active: z
      .boolean()
      .describe('Sync is on for the company and it runs a sync service: `mailboxes` are to sync.'),
    mailboxes: z
      .array(PairedMailboxSchema)
      .describe('Every paired mailbox of the company while `active`; empty otherwise.'),
  })
  .meta({ id: 'SyncServiceMailboxes', description: 'What the sync service is to sync.' });

const ChangeSignalSchema = z
  .object({
    mailboxes: z
      .array(z.string())
      .describe(
        'Paired mailboxes whose user has an activity change, or (any contact change) every ' +
          'paired mailbox, past `cursor`. Empty when the wait ran out.',
      ),
    nextCursor: z.string().describe('Pass as `cursor` next time. Opaque: do not parse.'),
  })
  .meta({ id: 'ChangeSignal', description: 'Which mailboxes to sync now.' });

/** The longest a request may wait; proxies commonly cut idle requests at 60 s. */
export const MAX_SIGNAL_WAIT_SECONDS = 50;
/** Waiting requests per company: a service needs one; more is a client gone wrong. */
export const MAX_SIGNAL_WAITERS = 8;

export function syncServiceRoutes(app: ZodApp, ctx: CrmContext): void {
  const waiters = new Map<string, number>();

  app.get('/sync-service/mailboxes', {
    onRequest: ctx.auth.service,
    schema: {
      tags: ['sync-service'],
      operationId: 'listSyncServiceMailboxes',
      summary: 'The paired mailboxes to sync (service key)',
      description:
        'Issue 17: the mailboxes the company’s always-on sync service syncs — every mailbox ' +
        'paired with a CRM user of the company (SPEC C5–C7), while the company has sync on and ' +
        'runs a sync service (`Company.syncService`). The service reads it at start and ' +
        'after each change signal, and stops syncing a mailbox that is no longer listed.',
      security: SECURITY.key,
      response: { 200: json(SyncServiceMailboxesSchema, 'The mailboxes.'), ...errors() },
    },
    handler: async (request) => {
      const { companyId } = authOf(request);
      const company = readCompany(ctx, companyId);
      const active = company.syncEnabled && company.syncService !== null;
      if (!active) return { active, mailboxes: [] };
      const rows = ctx.db
        .prepare(
          `SELECT p.mailbox, u.id, u.time_zone, u.language FROM pairings p
           JOIN users u ON u.id = p.user_id WHERE u.company_id = ? ORDER BY p.mailbox`,
        )
        .all(companyId) as {
        mailbox: string;
        id: string;
        time_zone: string;
        language: z.output<typeof LanguageSchema>;
      }[];
      return {
        active,
        mailboxes: rows.map((r) => ({
          mailbox: r.mailbox.toLowerCase(),
          userId: r.id,
          timeZone: r.time_zone,
          language: r.language,
        })),
      };
    },
  });

  app.get('/sync-service/changes', {
    onRequest: ctx.auth.service,
    schema: {
      tags: ['sync-service'],
      operationId: 'waitForChanges',
      summary: 'Wait for changes (long-poll, service key)',
      description:
        'Issue 17: the prompt change signal. Answers at once with the paired mailboxes that ' +
        'have changes past `cursor` (activities the user sees; any contact change names every ' +
        'paired mailbox), else holds the request up to `wait` seconds and answers as soon as a ' +
        'change is written — with an empty list when the wait runs out. Call again at once ' +
        'with `nextCursor`. Without a cursor it answers at once with the current position ' +
        '(nothing named: the service syncs every mailbox when it starts anyway). A signal ' +
        'names mailboxes, never content: the service reads the changes through the usual ' +
        'change feed of a service session. A cursor from before a compaction of the logs ' +
        'names every paired mailbox (a lost signal costs a run, never an edit). At most ' +
        `${MAX_SIGNAL_WAITERS} requests of one company wait at once (429 \`too-many-waiters\`). ` +
        'Changes the service itself made are signalled too; its engine recognises its own ' +
        'writes. The service polls the change feed every 5 minutes regardless.',
      security: SECURITY.key,
      querystring: z.strictObject({
        cursor: z
          .string()
          .min(1)
          .max(100)
          .optional()
          .describe('The nextCursor of the last answer.'),
        wait: z.coerce
          .number()
          .int()
          .min(0)
          .max(MAX_SIGNAL_WAIT_SECONDS)
          .default(30)
          .describe(
            `Seconds to hold the request when nothing changed, ≤ ${MAX_SIGNAL_WAIT_SECONDS}.`,
          ),
      }),
      response: {
        200: json(ChangeSignalSchema, 'The mailboxes to sync.'),
        ...errors([429, '`too-many-waiters`: another request of the company is waiting.']),
      },
    },
    handler: async (request, reply) => {
      const { companyId } = authOf(request);
      const { cursor, wait } = request.query;
      if (cursor === undefined) {
        return { mailboxes: [], nextCursor: encodeSignalCursor(signalHead(ctx.db)) };
      }
      const from = decodeSignalCursor(ctx.db, cursor);
      const read = () => changedMailboxes(ctx.db, companyId, from);
      const first = read();
      if (first.mailboxes.length > 0 || wait === 0) {
        return { mailboxes: first.mailboxes, nextCursor: encodeSignalCursor(first.next) };
      }
      const waiting = waiters.get(companyId) ?? 0;
      if (waiting >= MAX_SIGNAL_WAITERS) {
        throw new HttpProblem({
          status: 429,
          code: 'too-many-waiters',
          title: 'Too Many Requests',
          detail: `At most ${MAX_SIGNAL_WAITERS} requests of a company may wait at once.`,
          headers: { 'Retry-After': '5' },
        });
      }
      waiters.set(companyId, waiting + 1);
      try {
        const answer = await waitForChange(ctx, read, wait * 1000, reply.raw);
        return { mailboxes: answer.mailboxes, nextCursor: encodeSignalCursor(answer.next) };
      } finally {
        const left = (waiters.get(companyId) ?? 1) - 1;
        if (left === 0) waiters.delete(companyId);
        else waiters.set(companyId, left);
      }
    },
  });
}

/**
 * Reads again at each ring until something is named, the wait runs out or the client goes away
 * (then the last, empty, read is answered into a closed socket). Bounded: one timer, one
 * listener, removed on every exit.
 */
function waitForChange(
  ctx: CrmContext,
  read: () => ReturnType<typeof changedMailboxes>,
  waitMs: number,
  response: NodeJS.EventEmitter,
): Promise<ReturnType<typeof changedMailboxes>> {
  const bell = bellOf(ctx.db);
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      bell.off('change', onRing);
      response.off('close', finish);
      try {
        resolve(read());
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    const onRing = () => {
      // The ring comes from inside the writer's transaction: read after it has committed.
      setImmediate(() => {
        if (done) return;
        try {
          if (read().mailboxes.length > 0) finish();
        } catch {
          finish(); // the read fails again there, and the request answers the error
        }
      });
    };
    const timer = setTimeout(finish, waitMs);
    bell.on('change', onRing);
    response.once('close', finish);
  });
}
