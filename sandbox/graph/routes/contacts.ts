/**
 * Contact folders and contacts (https://learn.microsoft.com/graph/api/resources/contact):
 * `contactFolders` (GET with `$filter` on displayName, POST), `contactFolders/{id}`,
 * `contactFolders/{id}/contacts` (GET with `$filter`/`$expand` on single-value extended
 * properties, POST), `contactFolders/{id}/contacts/delta`, and `contacts/{id}` (GET, PATCH with
 * If-Match, DELETE).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { linkWith, scope, userPaths, type EmulatorContext, type RequestScope } from '../context';
import {
  contactsInFolder,
  createContact,
  createFolder,
  deleteContact,
  findContact,
  getFolder,
  listFolders,
  patchContact,
  readContactPage,
  serializeContact,
  startContactRound,
} from '../contacts';
import {
  CONTACT_FIELD_NAMES,
  createContactFolderSchema,
  createContactSchema,
  patchContactSchema,
} from '../contactSchemas';
import { badRequest, GraphError } from '../errors';
import { evaluate } from '../odata-eval';
import { parseFilter } from '../odata-filter';
import { parseExpand, type Query } from '../query';
import type { StoredContact, StoredContactFolder } from '../types';
import { parseBody } from '../validate';
import { checkIfMatch, DEFAULT_PAGE_SIZE } from './render';
import { normalizeQuery } from './views';

type Params = { userId?: string; folderId?: string; contactId?: string };

const CONTACT_KEYS = new Set<string>([
  'id',
  'createdDateTime',
  'lastModifiedDateTime',
  'changeKey',
  'parentFolderId',
  ...CONTACT_FIELD_NAMES,
]);
const CONTACT_FILTERABLE = new Set([
  'id',
  'displayName',
  'givenName',
  'surname',
  'companyName',
  'jobTitle',
  'createdDateTime',
  'lastModifiedDateTime',
]);
const LAMBDA: Record<string, Set<string>> = {
  singleValueExtendedProperties: new Set(['id', 'value']),
  emailAddresses: new Set(['address', 'name']),
  categories: new Set(['']),
};

function contactSelect(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const keys = value
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  for (const k of keys) {
    if (!CONTACT_KEYS.has(k))
      throw badRequest(`Could not find a property named '${k}' on type 'microsoft.graph.contact'.`);
  }
  return keys;
}

function contactFilter(src: string): (c: Record<string, unknown>) => boolean {
  const expr = parseFilter(src, (path, lambdaOf) => {
    if (lambdaOf !== undefined) return LAMBDA[lambdaOf]?.has(path.join('/')) ?? false;
    const joined = path.join('/');
    if (joined.endsWith('/*')) return joined.slice(0, -2) in LAMBDA;
    return CONTACT_FILTERABLE.has(joined);
  });
  return (c) => evaluate(expr, c);
}

function count(value: string | undefined, name: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > max)
    throw badRequest(`Invalid value '${value}' for ${name}.`);
  return Number(value);
}

function page<T>(
  req: FastifyRequest,
  s: RequestScope,
  q: Query,
  all: T[],
  context: string,
  render: (item: T) => Record<string, unknown>,
) {
  const skip = count(q.$skip, '$skip', 1_000_000) ?? 0;
  const size = Math.min(
    count(q.$top, '$top', 1000) ?? s.prefs.maxPageSize ?? DEFAULT_PAGE_SIZE,
    1000,
  );
  const body: Record<string, unknown> = {
    '@odata.context': `${s.baseUrl}/$metadata#${context}`,
    value: all.slice(skip, skip + size).map(render),
  };
  if (skip + size < all.length)
    body['@odata.nextLink'] = linkWith(req, s.baseUrl, { $skip: String(skip + size) });
  return body;
}

const renderFolder = (f: StoredContactFolder) => ({ ...f });

export function registerContactRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  for (const url of userPaths('/contactFolders')) {
    app.get<{ Params: Params; Querystring: Query }>(url, async (req, reply) => {
      const s = scope(ctx, req, reply);
      const q = normalizeQuery(req.query);
      const filter =
        q.$filter === undefined
          ? undefined
          : (() => {
              const expr = parseFilter(q.$filter, (path) =>
                ['id', 'displayName', 'parentFolderId'].includes(path.join('/')),
              );
              return (f: StoredContactFolder) => evaluate(expr, f);
            })();
      const all = listFolders(s.mbx).filter((f) => !filter || filter(f));
      return page(req, s, q, all, `users('${s.mbx.address}')/contactFolders`, renderFolder);
    });

    app.post<{ Params: Params }>(url, async (req, reply) => {
      const s = scope(ctx, req, reply);
      const input = parseBody(createContactFolderSchema, req.body, 'contactFolder', {
        stripReadOnly: true,
      });
      const folder = createFolder(ctx.store, s.mbx, input.displayName);
      return reply.code(201).send({
        '@odata.context': `${s.baseUrl}/$metadata#users('${s.mbx.address}')/contactFolders/$entity`,
        ...renderFolder(folder),
      });
    });
  }

  for (const url of userPaths('/contactFolders/:folderId')) {
    app.get<{ Params: Params }>(url, async (req, reply) => {
      const s = scope(ctx, req, reply);
      return {
        '@odata.context': `${s.baseUrl}/$metadata#users('${s.mbx.address}')/contactFolders/$entity`,
        ...renderFolder(getFolder(s.mbx, req.params.folderId ?? '')),
      };
    });
  }

  for (const url of userPaths('/contactFolders/:folderId/contacts')) {
    app.get<{ Params: Params; Querystring: Query }>(url, async (req, reply) => {
      const s = scope(ctx, req, reply);
      const q = normalizeQuery(req.query);
      for (const k of ['$orderby', '$search', '$count']) {
        if (q[k] !== undefined)
          throw badRequest(`Query option '${k}' is not supported by the emulator.`);
      }
      const select = contactSelect(q.$select);
      const expandExtended = parseExpand(q.$expand);
      const filter = q.$filter === undefined ? undefined : contactFilter(q.$filter);
      const all = contactsInFolder(s.mbx, req.params.folderId ?? '').filter(
        (c) => !filter || filter(serializeContact(c, { expandExtended: () => true })),
      );
      return page(req, s, q, all, `users('${s.mbx.address}')/contacts`, (c: StoredContact) =>
        serializeContact(c, { select, expandExtended }),
      );
    });

    app.post<{ Params: Params }>(url, async (req, reply) => {
      const s = scope(ctx, req, reply);
      const input = parseBody(createContactSchema, req.body, 'contact', { stripReadOnly: true });
      const contact = createContact(ctx.store, s.mbx, req.params.folderId ?? '', input);
      void reply.header('ETag', `W/"${contact.changeKey}"`);
      void reply.header(
        'Location',
        `${s.baseUrl}/users('${s.mbx.userId}')/contacts('${contact.id}')`,
      );
      return reply.code(201).send({
        '@odata.context': `${s.baseUrl}/$metadata#users('${s.mbx.address}')/contacts/$entity`,
        ...serializeContact(contact),
      });
    });
  }

  // Graph: contact delta supports $select only; the round's pages come by nextLink.
  for (const url of userPaths('/contactFolders/:folderId/contacts/delta')) {
    app.get<{ Params: Params; Querystring: Query }>(url, async (req, reply) => {
      const s = scope(ctx, req, reply);
      const q = normalizeQuery(req.query);
      for (const k of ['$expand', '$filter', '$orderby', '$search', '$top', '$skip']) {
        if (q[k] !== undefined) {
          throw new GraphError(
            400,
            'ErrorInvalidUrlQuery',
            `The query parameter '${k}' is not supported with delta on contacts.`,
          );
        }
      }
      const select = contactSelect(q.$select);
      let skipToken = q.$skiptoken;
      if (skipToken === undefined) {
        const round =
          q.$deltatoken !== undefined
            ? startContactRound(ctx.store, s.mbx, { baseToken: q.$deltatoken })
            : startContactRound(ctx.store, s.mbx, { folderId: req.params.folderId ?? '' });
        skipToken = `${round}.0`;
      }
      const result = readContactPage(
        ctx.store,
        s.mbx,
        skipToken,
        s.prefs.maxPageSize ?? DEFAULT_PAGE_SIZE,
      );
      const base = `${s.baseUrl}${req.url.split('?')[0]?.replace(/^\/v1\.0/, '') ?? ''}`;
      const body: Record<string, unknown> = {
        '@odata.context': `${s.baseUrl}/$metadata#Collection(contact)`,
        value: result.items.map((item) =>
          item.removed
            ? {
                '@odata.type': '#microsoft.graph.contact',
                id: item.id,
                '@removed': { reason: 'deleted' },
              }
            : serializeContact(item.contact, { select }),
        ),
      };
      if (result.skipToken) body['@odata.nextLink'] = `${base}?$skiptoken=${result.skipToken}`;
      else body['@odata.deltaLink'] = `${base}?$deltatoken=${result.deltaToken ?? ''}`;
      return body;
    });
  }

  for (const url of userPaths('/contacts/:contactId')) {
    const entity = (s: RequestScope) =>
      `${s.baseUrl}/$metadata#users('${s.mbx.address}')/contacts/$entity`;

    app.get<{ Params: Params; Querystring: Query }>(url, async (req, reply) => {
      const s = scope(ctx, req, reply);
      const q = normalizeQuery(req.query);
      const contact = findContact(s.mbx, req.params.contactId ?? '');
      void reply.header('ETag', `W/"${contact.changeKey}"`);
      return {
        '@odata.context': entity(s),
        ...serializeContact(contact, {
          select: contactSelect(q.$select),
          expandExtended: parseExpand(q.$expand),
        }),
      };
    });

    app.patch<{ Params: Params }>(url, async (req, reply) => {
      const s = scope(ctx, req, reply);
      const contact = findContact(s.mbx, req.params.contactId ?? '');
      checkIfMatch(req, contact);
      const input = parseBody(patchContactSchema, req.body, 'contact', { stripReadOnly: true });
      const updated = patchContact(ctx.store, contact, input);
      void reply.header('ETag', `W/"${updated.changeKey}"`);
      return { '@odata.context': entity(s), ...serializeContact(updated) };
    });

    app.delete<{ Params: Params }>(url, async (req, reply) => {
      const s = scope(ctx, req, reply);
      const contact = findContact(s.mbx, req.params.contactId ?? '');
      checkIfMatch(req, contact);
      deleteContact(ctx.store, s.mbx, contact.id);
      return reply.code(204).send();
    });
  }
}
