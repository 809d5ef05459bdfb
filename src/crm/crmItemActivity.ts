/**
 * What the item view reads and writes of one activity (SPEC O1, O2, F2): its type, owner and
 * CRM-only relations, the names behind the relation ids, relation search one kind at a time, and
 * setting the relations. The relations never reach Outlook: the engine maps only the synced fields
 * (F1), so a PATCH of `relations` changes nothing the next run writes to the calendar.
 */
import * as z from 'zod';
import { ConflictError } from '../sync/core/errors';
import { CustomerSchema, itemsOf, ProjectSchema, SalesCaseSchema } from './directorySchemas';
import type { CrmAuth, CrmHttp } from './http';
import { ParticipantSchema } from './schemas';

const Str = z.string();

export const RelationIdsSchema = z.object({
  customerId: Str.nullable(),
  projectId: Str.nullable(),
  salesCaseId: Str.nullable(),
});

/** The part of an activity the item view needs; unknown members are stripped. */
export const ItemActivitySchema = z.object({
  id: Str.min(1),
  etag: Str.min(1),
  subject: Str,
  typeId: Str,
  ownerId: Str,
  completed: z.boolean(),
  cancelled: z.boolean(),
  relations: RelationIdsSchema,
  /** SPEC O3: the contact persons among them can be shared a project with from the appointment. */
  participants: z.array(ParticipantSchema),
  /** SPEC O2: absolute, or relative to the CRM address; absent when the CRM has no web app. */
  webUrl: Str.optional(),
});

export type RelationIds = z.infer<typeof RelationIdsSchema>;
export type ItemActivity = z.infer<typeof ItemActivitySchema>;
export type RelationKind = 'customer' | 'project' | 'salesCase';

/** One customer, project or sales case as a search lists it. */
export interface RelationOption {
  readonly id: string;
  readonly name: string;
  /** The customer a project or sales case belongs to; null for a customer. */
  readonly customerId: string | null;
}

const paths: Readonly<Record<RelationKind, string>> = {
  customer: '/customers',
  project: '/projects',
  salesCase: '/sales-cases',
};

const id = (value: string) => encodeURIComponent(value);

export class CrmItemActivity {
  constructor(private readonly session: { readonly http: CrmHttp } & CrmAuth) {}

  /** The activity, or null when it is gone or no longer visible to this user. */
  async get(activityId: string): Promise<ItemActivity | null> {
    const res = await this.session.http.send({
      method: 'GET',
      path: `/activities/${id(activityId)}`,
      schema: ItemActivitySchema,
      auth: this.session,
      expect: [404],
    });
    return res.ok ? res.body : null;
  }

  /**
   * SPEC O1, F2: replaces the activity's relations (owner only). A lost race (412) is tried once
   * more on the version the CRM answered with: the relations are the person's explicit choice and
   * the other write cannot have been about them and this choice at once.
   */
  async setRelations(
    activityId: string,
    relations: RelationIds,
    etag: string,
  ): Promise<ItemActivity> {
    const patch = (ifMatch: string) =>
      this.session.http.call({
        method: 'PATCH',
        path: `/activities/${id(activityId)}`,
        body: { relations },
        headers: { 'If-Match': ifMatch },
        schema: ItemActivitySchema,
        auth: this.session,
      });
    try {
      return await patch(etag);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const current = ItemActivitySchema.safeParse(error.current);
      if (!current.success) throw error;
      return patch(current.data.etag);
    }
  }

  /** The name behind one relation id; null when it no longer exists. */
  async relation(kind: RelationKind, relationId: string): Promise<RelationOption | null> {
    const path = `${paths[kind]}/${id(relationId)}`;
    if (kind === 'customer') {
      const res = await this.session.http.send({
        method: 'GET',
        path,
        schema: CustomerSchema,
        auth: this.session,
        expect: [404],
      });
      return res.ok ? { id: res.body.id, name: res.body.name, customerId: null } : null;
    }
    const res = await this.session.http.send({
      method: 'GET',
      path,
      schema: kind === 'project' ? ProjectSchema : SalesCaseSchema,
      auth: this.session,
      expect: [404],
    });
    return res.ok
      ? { id: res.body.id, name: res.body.name, customerId: res.body.customerId }
      : null;
  }

  /** SPEC O1: names containing `q`; projects and sales cases of one customer with `customerId`. */
  async search(kind: RelationKind, q: string, customerId?: string): Promise<RelationOption[]> {
    const query = { q, customerId: kind === 'customer' ? undefined : customerId };
    if (kind === 'customer') {
      const res = await this.session.http.call({
        method: 'GET',
        path: paths.customer,
        query,
        schema: itemsOf(CustomerSchema),
        auth: this.session,
      });
      return res.items.map((c) => ({ id: c.id, name: c.name, customerId: null }));
    }
    const res = await this.session.http.call({
      method: 'GET',
      path: paths[kind],
      query,
      schema: itemsOf(kind === 'project' ? ProjectSchema : SalesCaseSchema),
      auth: this.session,
    });
    return res.items.map((r) => ({ id: r.id, name: r.name, customerId: r.customerId }));
  }
}
