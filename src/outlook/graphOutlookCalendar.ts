import { ConflictError, SyncError } from '../sync/core/errors';
import type { CalendarItem } from '../sync/core/model';
import type {
  OutlookCalendar,
  OutlookCalendarInfo,
  OutlookChanges,
  OutlookEvent,
  TimeWindow,
} from '../sync/ports';
import { readStamp, stampFilter, stampProperty } from './crmStamp';
import { readChanges } from './deltaReader';
import type { GraphClient } from './graphClient';
import { paths } from './graphPaths';
import {
  calendarListSchema,
  eventPageSchema,
  eventSchema,
  stampSchema,
  userSchema,
  type EventPage,
  type GraphEvent,
} from './graphSchemas';
import { eventFromGraph, type FromGraphContext } from './mapping/fromGraph';
import { itemToGraph, type ToGraphOptions } from './mapping/toGraph';

export interface GraphOutlookCalendarOptions extends FromGraphContext, ToGraphOptions {
  readonly client: GraphClient;
}

/** The OutlookCalendar port over Microsoft Graph v1.0 (ports.ts holds the contract). */
export class GraphOutlookCalendar implements OutlookCalendar {
  private readonly client: GraphClient;

  constructor(private readonly opts: GraphOutlookCalendarOptions) {
    this.client = opts.client;
  }

  async mailbox(): Promise<string> {
    const { data } = await this.client.request({
      method: 'GET',
      path: paths.me,
      schema: userSchema,
    });
    const address = data.mail ?? data.userPrincipalName;
    if (!address) throw new SyncError('invalidResponse', 'Graph named no mailbox address');
    return address.toLowerCase();
  }

  async listCalendars(): Promise<readonly OutlookCalendarInfo[]> {
    const { data } = await this.client.request({
      method: 'GET',
      path: paths.calendars,
      schema: calendarListSchema,
    });
    return data.value.map((c) => ({
      id: c.id,
      name: c.name ?? '',
      isDefault: c.isDefaultCalendar ?? false,
      canEdit: c.canEdit ?? false,
    }));
  }

  changes(
    calendarId: string,
    window: TimeWindow,
    deltaLink: string | null,
  ): Promise<OutlookChanges> {
    return readChanges(this.client, this.opts, calendarId, window, deltaLink);
  }

  async get(eventId: string): Promise<OutlookEvent | null> {
    try {
      const { data } = await this.client.request({
        method: 'GET',
        path: paths.eventWithStamp(eventId),
        schema: eventSchema,
      });
      return eventFromGraph(data, this.opts);
    } catch (err) {
      if (err instanceof SyncError && err.code === 'itemNotFound') return null;
      throw err;
    }
  }

  async findByCrmId(calendarId: string, crmId: string): Promise<readonly OutlookEvent[]> {
    const found: OutlookEvent[] = [];
    let next: string | null = paths.findByFilter(calendarId, stampFilter(crmId));
    while (next) {
      const { data }: { data: EventPage } = await this.client.request({
        method: 'GET',
        path: next,
        schema: eventPageSchema,
        notFound: 'calendarNotFound',
      });
      found.push(...data.value.map((ev) => eventFromGraph(ev, this.opts)));
      next = data['@odata.nextLink'] ?? null;
    }
    return found;
  }

  async create(
    calendarId: string,
    item: CalendarItem,
    options: { readonly transactionId: string; readonly crmId: string },
  ): Promise<OutlookEvent> {
    // Graph: transactionId makes a repeated POST return the event the first one created.
    const body = {
      ...itemToGraph(item, this.opts),
      transactionId: options.transactionId,
      singleValueExtendedProperties: stampProperty(options.crmId),
    };
    const { data } = await this.client.request({
      method: 'POST',
      path: paths.calendarEvents(calendarId),
      body,
      schema: eventSchema,
      notFound: 'calendarNotFound',
    });
    return { ...eventFromGraph(data, this.opts), crmId: readStamp(data) ?? options.crmId };
  }

  async update(
    eventId: string,
    item: CalendarItem,
    options: { readonly etag: string },
  ): Promise<OutlookEvent> {
    let data: GraphEvent;
    try {
      ({ data } = await this.client.request({
        method: 'PATCH',
        path: paths.event(eventId),
        body: itemToGraph(item, this.opts),
        headers: { 'If-Match': options.etag },
        schema: eventSchema,
      }));
    } catch (err) {
      if (err instanceof ConflictError) {
        throw new ConflictError(err.message, await this.get(eventId), { cause: err });
      }
      throw err;
    }
    // The PATCH answer carries no extended properties: read the stamp apart.
    const { data: stamp } = await this.client.request({
      method: 'GET',
      path: paths.stampOnly(eventId),
      schema: stampSchema,
    });
    return { ...eventFromGraph(data, this.opts), crmId: readStamp(stamp) };
  }

  async stamp(eventId: string, crmId: string | null): Promise<void> {
    await this.client.request({
      method: 'PATCH',
      path: paths.event(eventId),
      body: { singleValueExtendedProperties: stampProperty(crmId) },
      schema: eventSchema,
    });
  }

  async delete(eventId: string): Promise<void> {
    try {
      await this.client.request({ method: 'DELETE', path: paths.event(eventId), schema: null });
    } catch (err) {
      // Idempotent (ports.ts): an event that is already gone is deleted.
      if (err instanceof SyncError && err.code === 'itemNotFound') return;
      throw err;
    }
  }
}
