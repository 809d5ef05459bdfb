/**
 * What the task pane reads from the CRM besides activities: the signed-in user and company
 * (SPEC C7), activity types in the picklist language (L2), people and resources (F4, K1),
 * relation search (O1), the mailbox pairing (C5–C7) and opt-in error reports (E5).
 */
import * as z from 'zod';
import {
  ActivityTypeSchema,
  CompanySchema,
  ContactPageSchema,
  CustomerSchema,
  ErrorReportAcceptedSchema,
  itemsOf,
  MeSchema,
  PairingSchema,
  ProjectSchema,
  ResourceSchema,
  SalesCaseSchema,
  UserSchema,
  type ActivityType,
  type Company,
  type Contact,
  type CrmUser,
  type Customer,
  type Language,
  type Me,
  type Pairing,
  type Project,
  type Resource,
  type SalesCase,
} from './directorySchemas';
import { buildErrorReport, type ErrorReportInput } from './errorReport';
import type { CrmAuth, CrmHttp, CrmRequest } from './http';

export interface ContactQuery {
  readonly q?: string;
  readonly customerId?: string;
  /** SPEC K2: only the contacts marked for this person. */
  readonly syncToOutlook?: boolean;
  readonly limit?: number;
  readonly offset?: number;
}

export interface RelationMatches {
  readonly customers: readonly Customer[];
  readonly projects: readonly Project[];
  readonly salesCases: readonly SalesCase[];
}

export class CrmDirectory {
  constructor(private readonly session: { readonly http: CrmHttp } & CrmAuth) {}

  private get<T>(path: string, schema: z.ZodType<T>, query?: CrmRequest<T>['query']) {
    return this.session.http.call({ method: 'GET', path, query, schema, auth: this.session });
  }

  me(): Promise<Me> {
    return this.get('/me', MeSchema);
  }

  company(): Promise<Company> {
    return this.get('/company', CompanySchema);
  }

  /** SPEC L2: names in the picklist language (`lang`), else in the user's own. */
  async activityTypes(lang?: Language): Promise<readonly ActivityType[]> {
    return (await this.get('/activity-types', itemsOf(ActivityTypeSchema), { lang })).items;
  }

  async users(q?: string): Promise<readonly CrmUser[]> {
    return (await this.get('/users', itemsOf(UserSchema), { q })).items;
  }

  async contacts(query: ContactQuery = {}): Promise<{ items: Contact[]; hasMore: boolean }> {
    return this.get('/contacts', ContactPageSchema, {
      q: query.q,
      customerId: query.customerId,
      syncToOutlook: query.syncToOutlook === undefined ? undefined : String(query.syncToOutlook),
      limit: query.limit === undefined ? undefined : String(query.limit),
      offset: query.offset === undefined ? undefined : String(query.offset),
    });
  }

  async resources(q?: string): Promise<readonly Resource[]> {
    return (await this.get('/resources', itemsOf(ResourceSchema), { q })).items;
  }

  /** One customer (SPEC K3: the company a duplicate contact works for), or null when gone. */
  async customer(customerId: string): Promise<Customer | null> {
    const res = await this.session.http.send({
      method: 'GET',
      path: `/customers/${encodeURIComponent(customerId)}`,
      schema: CustomerSchema,
      auth: this.session,
      expect: [404],
    });
    return res.ok ? res.body : null;
  }

  /** SPEC O1: customers, projects and sales cases whose name contains `q`. */
  async searchRelations(q: string, customerId?: string): Promise<RelationMatches> {
    const [customers, projects, salesCases] = await Promise.all([
      this.get('/customers', itemsOf(CustomerSchema), { q }),
      this.get('/projects', itemsOf(ProjectSchema), { q, customerId }),
      this.get('/sales-cases', itemsOf(SalesCaseSchema), { q, customerId }),
    ]);
    return { customers: customers.items, projects: projects.items, salesCases: salesCases.items };
  }

  /**
   * SPEC C5–C7: pairs the mailbox with the signed-in user.
   * @throws SyncError syncDisabledForCompany, mailboxPairedElsewhere, mailboxMismatch (params
   *   `mailbox` and `crmEmail`/`crmEmails`: the error names both addresses).
   */
  pair(mailbox: string): Promise<Pairing> {
    return this.session.http.call({
      method: 'PUT',
      path: '/pairing',
      body: { mailbox: mailbox.trim().toLowerCase() },
      schema: PairingSchema,
      auth: this.session,
    });
  }

  async pairing(): Promise<Pairing | null> {
    const res = await this.session.http.send({
      method: 'GET',
      path: '/pairing',
      schema: PairingSchema,
      auth: this.session,
      expect: [404],
    });
    return res.ok ? res.body : null;
  }

  async unpair(): Promise<void> {
    await this.session.http.call({
      method: 'DELETE',
      path: '/pairing',
      schema: null,
      auth: this.session,
    });
  }

  /** SPEC E5: only when the person opted in; technical fields only. Returns the report id. */
  async sendErrorReport(input: ErrorReportInput): Promise<string> {
    const res = await this.session.http.call({
      method: 'POST',
      path: '/error-reports',
      body: buildErrorReport(input),
      schema: ErrorReportAcceptedSchema,
      auth: this.session,
    });
    return res.id;
  }
}
