import { ConflictError, SyncError } from '../sync/core/errors';
import type { CalendarItem } from '../sync/core/model';
import type {
  ChangesOptions,
  OutlookCalendar,
  OutlookCalendarInfo,
  OutlookChanges,
  OutlookEvent,
  OutlookGroup,
  OutlookVersions,
  TimeWindow,
} from '../sync/ports';
import { readStamp, stampProperty } from './crmStamp';
import { readChanges, readVersions } from './deltaReader';
import { forEachStampedEvent, listCalendars } from './graphCalendarReads';
import type { GraphClient } from './graphClient';
import { GroupedGraphClient, RequestGroup } from './graphGroup';
import { paths } from './graphPaths';
import { eventSchema, userSchema, type GraphEvent } from './graphSchemas';
import { etagOf, eventFromGraph, type FromGraphContext } from './mapping/fromGraph';
import { foldSeries } from './mapping/series';
import { patchFor } from './mapping/changes';
import { itemToGraph, type ToGraphOptions } from './mapping/toGraph';
import { isOwnMeeting, seriesPatchFor } from './seriesPatch';
import { readSeriesParts, seriesWindow, writeSeriesParts, type ReadSeries } from './series';
import { stableStringify } from '../sync/core/hash';
import type { Recurrence } from '../sync/core/model';

export interface GraphOutlookCalendarOptions extends FromGraphContext, ToGraphOptions {
  readonly client: GraphClient;
  /**
   * The calendar the sync reads. When given, `get` reads through it, so an event deleted in
   * Outlook — moved to Deleted Items, where its immutable id still answers `/me/events/{id}` —
   * is gone to the engine (issue 12, item 5).
   */
  readonly calendarId?: string;
}

/** The OutlookCalendar port over Microsoft Graph v1.0 (ports.ts holds the contract). */
export class GraphOutlookCalendar implements OutlookCalendar {
  private readonly client: GraphClient;
  /** The window of the last `changes()`: a series' exceptions are read in it (SPEC W1–W2). */
  private window: TimeWindow | null = null;

  constructor(private readonly opts: GraphOutlookCalendarOptions) {
    this.client = opts.client;
  }

  /**
   * Issue 16, item 1: the group's writes (creates with their stamp and transactionId, PATCHes
   * with If-Match, DELETEs) and reads go to Graph in $batch envelopes (./graphGroup.ts).
   */
  group(members: number): OutlookGroup {
    const group = new RequestGroup(this.client, members);
    const calendar = new GraphOutlookCalendar({
      ...this.opts,
      client: new GroupedGraphClient(this.client, group),
    });
    calendar.window = this.window;
    return { calendar, leave: () => group.leave() };
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

  listCalendars(): Promise<readonly OutlookCalendarInfo[]> {
    return listCalendars(this.client);
  }

  changes(
    calendarId: string,
    window: TimeWindow,
    deltaLink: string | null,
    options: ChangesOptions = {},
  ): Promise<OutlookChanges> {
    this.window = window;
    return readChanges(this.client, this.opts, calendarId, window, deltaLink, options);
  }

  /** A series master with its cancellations and exceptions folded in (SPEC R1). */
  private async withParts(
    event: OutlookEvent,
    wanted: Recurrence | null = null,
  ): Promise<{ event: OutlookEvent; parts: ReadSeries | null }> {
    if (event.kind !== 'seriesMaster' || !event.item.recurrence) return { event, parts: null };
    const window = seriesWindow(event.item, this.window, wanted);
    const parts = (await readSeriesParts(this.client, [{ id: event.id, window }])).get(event.id);
    if (!parts) return { event, parts: null };
    return { event: { ...event, item: foldSeries(event.item, parts, this.opts) }, parts };
  }

  private async read(
    eventId: string,
    wanted: Recurrence | null = null,
  ): Promise<{ event: OutlookEvent; parts: ReadSeries | null; raw: GraphEvent } | null> {
    try {
      const { data } = await this.client.request({
        method: 'GET',
        path: this.opts.calendarId
          ? paths.calendarEventWithStamp(this.opts.calendarId, eventId)
          : paths.eventWithStamp(eventId),
        schema: eventSchema,
      });
      return { ...(await this.withParts(eventFromGraph(data, this.opts), wanted)), raw: data };
    } catch (err) {
      if (err instanceof SyncError && err.code === 'itemNotFound') return null;
      throw err;
    }
  }

  async get(eventId: string): Promise<OutlookEvent | null> {
    return (await this.read(eventId))?.event ?? null;
  }

  versionsSince(_calendarId: string, deltaLink: string): Promise<OutlookVersions> {
    // The delta link names its calendar and window itself (delta-query-overview.md).
    return readVersions(this.client, deltaLink);
  }

  async findByCrmId(calendarId: string, crmId: string): Promise<readonly OutlookEvent[]> {
    const found: OutlookEvent[] = [];
    await forEachStampedEvent(this.client, calendarId, crmId, async (ev) => {
      found.push((await this.withParts(eventFromGraph(ev, this.opts))).event);
    });
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
    const created = { ...eventFromGraph(data, this.opts), crmId: readStamp(data) ?? options.crmId };
    const target = item.recurrence;
    if (!target || (target.exdates.length === 0 && !hasOverrides(target))) return created;
    // SPEC R1: the series first, then its cancelled and changed occurrences. The POST answered
    // only the master; the exceptions it gets are Outlook's own items, shown only among its
    // instances, so a series with exceptions is the one create read again after writing them.
    const read = await this.withParts(created, target);
    if (read.parts) {
      await writeSeriesParts(
        this.client,
        {
          masterId: created.id,
          current: read.event.item,
          target,
          attendeesChanged: false,
          parts: read.parts,
        },
        this.opts,
      );
    }
    return (await this.get(created.id)) ?? created;
  }

  async update(
    eventId: string,
    item: CalendarItem,
    options: { readonly etag: string },
  ): Promise<OutlookEvent> {
    if (item.recurrence && !item.occurrenceOf) return this.updateSeries(eventId, item, options);
    // Read first: the PATCH carries only what differs from the event as it is (issue 12, item 2),
    // and its description is spliced into the HTML Outlook holds. The read also gives the stamp
    // (a PATCH answer carries no extended properties).
    const { data: raw } = await this.client.request({
      method: 'GET',
      path: paths.eventWithStamp(eventId),
      schema: eventSchema,
    });
    const crmId = readStamp(raw);
    const body = patchFor(raw, item, { ...this.opts, organizer: isOwnMeeting(raw) });
    if (Object.keys(body).length === 0) {
      // Nothing to write: no PATCH, so no update mail. A newer version than the caller merged
      // against is still a conflict (the content it holds may not be what was merged).
      const event = { ...eventFromGraph(raw, this.opts), crmId };
      if (event.etag !== options.etag) throw new ConflictError('The event changed', event);
      return event;
    }
    const data = await this.patch(eventId, body, options.etag);
    return { ...eventFromGraph(data, this.opts), crmId };
  }

  private async patch(eventId: string, body: object, etag: string): Promise<GraphEvent> {
    try {
      const { data } = await this.client.request({
        method: 'PATCH',
        path: paths.event(eventId),
        body,
        headers: { 'If-Match': etag },
        schema: eventSchema,
      });
      return data;
    } catch (err) {
      if (err instanceof ConflictError) {
        throw new ConflictError(err.message, await this.get(eventId), { cause: err });
      }
      throw err;
    }
  }

  /**
   * A series: the master's fields, then its occurrences (SPEC R1, R4). Outlook drops a series'
   * exceptions when its rule or times are written, so those are sent only when they changed.
   */
  private async updateSeries(
    eventId: string,
    item: CalendarItem,
    options: { readonly etag: string },
  ): Promise<OutlookEvent> {
    const target = item.recurrence as Recurrence;
    const before = await this.read(eventId, target);
    if (!before) throw new SyncError('itemNotFound', 'The event no longer exists in Outlook');
    const { body, sameRule, was, now } = seriesPatchFor(before, item, this.opts);
    const data =
      Object.keys(body).length === 0 ? before.raw : await this.patch(eventId, body, options.etag);
    const master = { ...eventFromGraph(data, this.opts), crmId: before.event.crmId };
    const after = sameRule ? before : await this.withParts(master, target);
    if (after.parts) {
      const current: CalendarItem = { ...now, recurrence: after.event.item.recurrence };
      await writeSeriesParts(
        this.client,
        {
          masterId: eventId,
          current,
          target: now.recurrence ?? target,
          attendeesChanged: stableStringify(was.participants) !== stableStringify(now.participants),
          parts: after.parts,
        },
        this.opts,
      );
    }
    const final = await this.get(eventId);
    if (!final) throw new SyncError('itemNotFound', 'The event no longer exists in Outlook');
    return final;
  }

  async stamp(eventId: string, crmId: string | null): Promise<{ readonly etag: string }> {
    // event-update.md: the PATCH answers with the updated event, its changeKey included — the
    // link's version comes from here, not from a read-back (issue 16 item 2).
    const { data } = await this.client.request({
      method: 'PATCH',
      path: paths.event(eventId),
      body: { singleValueExtendedProperties: stampProperty(crmId) },
      schema: eventSchema,
    });
    return { etag: etagOf(data) };
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

function hasOverrides(r: Recurrence): boolean {
  return Object.keys(r.overrides ?? {}).length > 0;
}
