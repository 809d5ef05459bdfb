import type { Calendar, User } from '@microsoft/microsoft-graph-types';
import type { FastifyInstance } from 'fastify';
import { linkWith, scope, userPaths, type EmulatorContext } from '../context';
import { parseListOptions, type Query } from '../query';
import { DEFAULT_PAGE_SIZE } from './render';
import { normalizeQuery } from './views';
import { z } from 'zod';
import { badRequest, notFound } from '../errors';
import type { Mailbox, StoredCalendar } from '../types';

type Params = { userId?: string; calendarId?: string };

function calendarJson(mbx: Mailbox, c: StoredCalendar): Calendar & Record<string, unknown> {
  return {
    '@odata.etag': `W/"${c.changeKey}"`,
    id: c.id,
    name: c.name,
    color: c.color,
    hexColor: c.hexColor,
    isDefaultCalendar: c.isDefaultCalendar,
    changeKey: c.changeKey,
    canShare: true,
    canViewPrivateItems: true,
    canEdit: true,
    isRemovable: !c.isDefaultCalendar,
    isTallyingResponses: true,
    allowedOnlineMeetingProviders: ['teamsForBusiness'],
    defaultOnlineMeetingProvider: 'teamsForBusiness',
    owner: { name: mbx.displayName, address: mbx.address },
  };
}

export function registerMeRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  for (const url of userPaths('')) {
    app.get<{ Params: Params }>(url, async (req, reply) => {
      const { mbx, baseUrl } = scope(ctx, req, reply);
      const user: User & Record<string, unknown> = {
        '@odata.context': `${baseUrl}/$metadata#users/$entity`,
        id: mbx.userId,
        displayName: mbx.displayName,
        mail: mbx.address,
        userPrincipalName: mbx.address,
        givenName: mbx.displayName.split(' ')[0] ?? null,
        surname: mbx.displayName.split(' ').slice(1).join(' ') || null,
        preferredLanguage: 'en-US',
        businessPhones: [],
        jobTitle: null,
        mobilePhone: null,
        officeLocation: null,
      };
      return user;
    });
  }
  // Collections page at 10 by default, $top sets the page, @odata.nextLink continues
  // (concepts/paging.md; /me/calendars is reported to page at 10 like the event collections).
  for (const url of userPaths('/calendars')) {
    app.get<{ Params: Params; Querystring: Query }>(url, async (req, reply) => {
      const s = scope(ctx, req, reply);
      const { mbx, baseUrl } = s;
      const { top, skip } = parseListOptions(normalizeQuery(req.query), { eventQuery: false });
      const size = Math.min(top ?? s.prefs.maxPageSize ?? DEFAULT_PAGE_SIZE, 1000);
      const body: Record<string, unknown> = {
        '@odata.context': `${baseUrl}/$metadata#users('${mbx.address}')/calendars`,
        value: mbx.calendars.slice(skip, skip + size).map((c) => calendarJson(mbx, c)),
      };
      if (skip + size < mbx.calendars.length)
        body['@odata.nextLink'] = linkWith(req, baseUrl, { $skip: String(skip + size) });
      return body;
    });
  }
  for (const url of [...userPaths('/calendars/:calendarId'), ...userPaths('/calendar')]) {
    app.get<{ Params: Params }>(url, async (req, reply) => {
      const { mbx, baseUrl } = scope(ctx, req, reply);
      const id = ctx.store.calendarId(mbx, req.params.calendarId);
      const cal = mbx.calendars.find((c) => c.id === id);
      if (!cal) throw notFound();
      return {
        '@odata.context': `${baseUrl}/$metadata#users('${mbx.address}')/calendars/$entity`,
        ...calendarJson(mbx, cal),
      };
    });
  }

  // translateExchangeIds (https://learn.microsoft.com/graph/api/user-translateexchangeids):
  // the emulator's ids are already immutable and never change, so each id translates to itself.
  for (const url of userPaths('/translateExchangeIds')) {
    app.post<{ Params: Params }>(url, async (req, reply) => {
      const { baseUrl } = scope(ctx, req, reply);
      const body = translateBody.safeParse(req.body);
      if (!body.success)
        throw badRequest('Invalid translateExchangeIds request.', 'ErrorInvalidRequest');
      return {
        '@odata.context': `${baseUrl}/$metadata#Collection(microsoft.graph.convertIdResult)`,
        value: body.data.inputIds.map((id) => ({ sourceId: id, targetId: id })),
      };
    });
  }
}

const ID_TYPES = [
  'entryId',
  'ewsId',
  'immutableEntryId',
  'restId',
  'restImmutableEntryId',
] as const;
const translateBody = z.object({
  inputIds: z.array(z.string().min(1)).min(1).max(1000),
  sourceIdType: z.enum(ID_TYPES),
  targetIdType: z.enum(ID_TYPES),
});
