/**
 * The CrmActivities port (src/sync/ports.ts) over the CRM Sync API. Every body is checked by zod
 * in CrmHttp; mapping.ts turns it into the canonical model.
 */
import { ConflictError, SyncError } from '../sync/core/errors';
import type {
  CrmActivities,
  CrmActivity,
  CrmActivityInput,
  CrmChanges,
  CrmLease,
  TimeWindow,
} from '../sync/ports';
import type { ItemOutcome } from '../sync/itemPorts';
import type { CalendarItem } from '../sync/core/model';
import { BulkResultsEnvelope, CrmCapabilities, manyAtOnce } from './bulk';
import { readChangeFeed } from './changeFeed';
import { Coalescer } from './coalesce';
import type { CrmAuth, CrmHttp } from './http';
import { activityFromApi, toCreateBody, toInstant, toPatchBody } from './mapping';
import { problemToError } from './problems';
import {
  type ApiActivity,
  ActivityChangeSchema,
  ActivityListSchema,
  ActivitySchema,
  SyncLeaseSchema,
} from './schemas';

/** What the adapter needs: a transport and a token source (a CrmSession is both). */
export interface CrmApi {
  readonly http: CrmHttp;
  readonly auth: CrmAuth;
}

const id = (value: string) => encodeURIComponent(value);

export function createCrmActivities(session: { readonly http: CrmHttp } & CrmAuth): CrmActivities {
  return new HttpCrmActivities({ http: session.http, auth: session });
}

/** One `PUT /activities/{id}/outlook-link`. */
interface LinkEntry {
  readonly activityId: string;
  readonly link: { readonly mailbox: string; readonly eventId: string };
}

export class HttpCrmActivities implements CrmActivities {
  private readonly capabilities: CrmCapabilities;

  private readonly links = new Coalescer<LinkEntry, CrmActivity>((e) => this.setLinks(e));

  constructor(private readonly api: CrmApi) {
    this.capabilities = new CrmCapabilities(api);
  }

  private get http(): CrmHttp {
    return this.api.http;
  }

  private readActivity(path: string, method: 'GET' | 'POST' | 'PUT' = 'GET', body?: unknown) {
    return this.http.call({ method, path, body, schema: ActivitySchema, auth: this.api.auth });
  }

  async changes(cursor: string | null): Promise<CrmChanges> {
    return readChangeFeed(
      this.api,
      { path: '/activities/changes', entry: ActivityChangeSchema },
      cursor,
      (c) => activityFromApi(c.activity),
    );
  }

  async listWindow(window: TimeWindow): Promise<readonly CrmActivity[]> {
    const res = await this.http.call({
      method: 'GET',
      path: '/activities',
      query: { from: window.start, to: window.end },
      schema: ActivityListSchema,
      auth: this.api.auth,
    });
    return res.items.map(activityFromApi);
  }

  private async getApi(activityId: string): Promise<ApiActivity | null> {
    const res = await this.http.send({
      method: 'GET',
      path: `/activities/${id(activityId)}`,
      schema: ActivitySchema,
      auth: this.api.auth,
      expect: [404],
    });
    return res.ok ? res.body : null;
  }

  async get(activityId: string): Promise<CrmActivity | null> {
    const a = await this.getApi(activityId);
    return a && activityFromApi(a);
  }

  async create(
    input: CrmActivityInput,
    options: { readonly idempotencyKey: string },
  ): Promise<CrmActivity> {
    const a = await this.http.call({
      method: 'POST',
      path: '/activities',
      body: toCreateBody(input),
      headers: { 'Idempotency-Key': options.idempotencyKey },
      schema: ActivitySchema,
      auth: this.api.auth,
    });
    return activityFromApi(a);
  }

  async update(
    activityId: string,
    item: CalendarItem,
    options: { readonly etag: string },
  ): Promise<CrmActivity> {
    try {
      const a = await this.http.call({
        method: 'PATCH',
        path: `/activities/${id(activityId)}`,
        body: toPatchBody(item),
        headers: { 'If-Match': options.etag },
        schema: ActivitySchema,
        auth: this.api.auth,
      });
      return activityFromApi(a);
    } catch (err) {
      throw toActivityConflict(err);
    }
  }

  /** One bulk call (issue 16, item 3): its raw per-item results, each checked by manyAtOnce. */
  private async bulk(path: string, body: unknown): Promise<readonly unknown[]> {
    const res = await this.http.call({
      method: 'POST',
      path,
      body,
      schema: BulkResultsEnvelope,
      auth: this.api.auth,
    });
    return res.results;
  }

  async getMany(ids: readonly string[]): Promise<readonly ItemOutcome<CrmActivity | null>[]> {
    return manyAtOnce({
      entries: ids,
      limits: () => this.capabilities.bulk('bulkReadActivities'),
      bodyOf: (activityId) => activityId,
      send: (bodies) => this.bulk('/activities/bulk-read', { ids: bodies }),
      fromResult: (r) => {
        if (r.ok) return activityFromApi(r.activity);
        if (r.status === 404) return null; // as `get`: gone, or no longer visible to us
        throw problemToError(r.status, r.problem, undefined);
      },
      single: (activityId) => this.get(activityId),
    });
  }

  async bulkCreates(): Promise<boolean> {
    return (await this.capabilities.bulk('bulkCreateActivities')) !== null;
  }

  async createMany(
    items: readonly { readonly input: CrmActivityInput; readonly idempotencyKey: string }[],
  ): Promise<readonly ItemOutcome<CrmActivity>[]> {
    return manyAtOnce({
      entries: items,
      limits: () => this.capabilities.bulk('bulkCreateActivities'),
      // The same key and body as the single create: either replays what the other created.
      bodyOf: (e) => ({ idempotencyKey: e.idempotencyKey, activity: toCreateBody(e.input) }),
      send: (bodies) => this.bulk('/activities/bulk-create', { items: bodies }),
      fromResult: (r) => {
        if (r.ok) return activityFromApi(r.activity);
        throw problemToError(r.status, r.problem, undefined);
      },
      single: (e) => this.create(e.input, { idempotencyKey: e.idempotencyKey }),
    });
  }

  async updateMany(
    items: readonly { readonly id: string; readonly item: CalendarItem; readonly etag: string }[],
  ): Promise<readonly ItemOutcome<CrmActivity>[]> {
    return manyAtOnce({
      entries: items,
      limits: () => this.capabilities.bulk('bulkUpdateActivities'),
      bodyOf: (e) => ({ id: e.id, ifMatch: e.etag, patch: toPatchBody(e.item) }),
      send: (bodies) => this.bulk('/activities/bulk-update', { items: bodies }),
      fromResult: (r) => {
        if (r.ok) return activityFromApi(r.activity);
        throw toActivityConflict(problemToError(r.status, r.problem, undefined));
      },
      single: (e) => this.update(e.id, e.item, { etag: e.etag }),
    });
  }

  async cancel(activityId: string): Promise<CrmActivity> {
    return activityFromApi(await this.readActivity(`/activities/${id(activityId)}/cancel`, 'POST'));
  }

  async removeMe(activityId: string): Promise<void> {
    // Idempotent: once removed, the activity is no longer visible to us (404).
    await this.http.send({
      method: 'POST',
      path: `/activities/${id(activityId)}/remove-me`,
      schema: null,
      auth: this.api.auth,
      expect: [404],
    });
  }

  async delete(activityId: string): Promise<void> {
    await this.http.send({
      method: 'DELETE',
      path: `/activities/${id(activityId)}`,
      schema: null,
      auth: this.api.auth,
      expect: [404], // already gone: success (port contract)
    });
  }

  async setOutlookLink(
    activityId: string,
    link: { readonly mailbox: string; readonly eventId: string },
  ): Promise<CrmActivity> {
    // Issue 16: links asked for side by side (a group's creates and links) go out in one
    // `bulkSetOutlookLinks` call where the CRM announces it, each still answered on its own.
    return this.links.call({ activityId, link: { mailbox: link.mailbox, eventId: link.eventId } });
  }

  private setLinks(entries: readonly LinkEntry[]): Promise<ItemOutcome<CrmActivity>[]> {
    return manyAtOnce({
      entries,
      limits: () => this.capabilities.bulk('bulkSetOutlookLinks'),
      bodyOf: (e) => ({ id: e.activityId, link: e.link }),
      send: (bodies) => this.bulk('/activities/bulk-outlook-link', { items: bodies }),
      fromResult: (r) => {
        if (r.ok) return activityFromApi(r.activity);
        throw problemToError(r.status, r.problem, undefined);
      },
      single: (e) => this.setOneOutlookLink(e),
    });
  }

  private async setOneOutlookLink(e: LinkEntry): Promise<CrmActivity> {
    // The contract answers the PUT with the activity and its ETag (docs/crm-sync-api.yaml): the
    // link's version comes from here, not from a read-back (issue 16 item 2).
    const path = `/activities/${id(e.activityId)}/outlook-link`;
    return activityFromApi(await this.readActivity(path, 'PUT', e.link));
  }

  async acquireLease(holderId: string, ttlSeconds: number): Promise<CrmLease | null> {
    const res = await this.http.send({
      method: 'PUT',
      path: '/sync-lease',
      body: { holderId, ttlSeconds },
      schema: SyncLeaseSchema,
      auth: this.api.auth,
      expect: [409],
    });
    if (!res.ok) return null;
    return { ...res.body, expiresAt: toInstant(res.body.expiresAt) };
  }

  async releaseLease(holderId: string): Promise<void> {
    // 409: someone else holds it, so there is nothing of ours to give up.
    await this.http.send({
      method: 'DELETE',
      path: '/sync-lease',
      query: { holderId },
      schema: null,
      auth: this.api.auth,
      expect: [409],
    });
  }
}

/** The 412's `current` is an API activity; the port promises a CrmActivity. */
function toActivityConflict(err: unknown): unknown {
  if (!(err instanceof ConflictError)) return err;
  const parsed = ActivitySchema.safeParse(err.current);
  const current = parsed.success ? activityFromApi(parsed.data) : null;
  if (current === null) {
    return new SyncError('invalidResponse', 'The 412 did not carry the current activity');
  }
  return new ConflictError<CrmActivity>(err.message, current, { cause: err });
}
