/**
 * Extranet sharing of a CRM project with a customer's contact person (SPEC O3), over
 * /projects/{id}/extranet-shares. Every change takes effect at once on the CRM; the CRM sends the
 * invitation with a one-time password when a project is first shared with someone.
 */
import * as z from 'zod';
import type { CrmAuth, CrmHttp } from './http';

export const ExtranetRightsSchema = z.object({
  /** Approval does not affect invoicing (SPEC O3). */
  approveHours: z.boolean(),
  comment: z.boolean(),
  addFilesAndLinks: z.boolean(),
});

export const ExtranetSectionsSchema = z.object({
  financials: z.object({ invoicing: z.boolean(), billable: z.boolean() }),
  phases: z.object({
    gantt: z.boolean(),
    tree: z.boolean(),
    hoursWithTimes: z.boolean(),
    estimates: z.boolean(),
  }),
  other: z.object({ status: z.boolean(), changeStatus: z.boolean(), filesAndLinks: z.boolean() }),
});

export const ExtranetShareSchema = z.object({
  projectId: z.string(),
  contactId: z.string(),
  rights: ExtranetRightsSchema,
  sections: ExtranetSectionsSchema,
  invitedAt: z.string(),
  updatedAt: z.string(),
});
export const ExtranetSharePageSchema = z.object({ items: z.array(ExtranetShareSchema) });

export type ExtranetRights = z.infer<typeof ExtranetRightsSchema>;
export type ExtranetSections = z.infer<typeof ExtranetSectionsSchema>;
export type ExtranetShare = z.infer<typeof ExtranetShareSchema>;
export interface ExtranetAccess {
  readonly rights: ExtranetRights;
  readonly sections: ExtranetSections;
}

/** Nothing extra and nothing visible: where a new share starts. */
export const NO_EXTRANET_ACCESS: ExtranetAccess = {
  rights: { approveHours: false, comment: false, addFilesAndLinks: false },
  sections: {
    financials: { invoicing: false, billable: false },
    phases: { gantt: false, tree: false, hoursWithTimes: false, estimates: false },
    other: { status: false, changeStatus: false, filesAndLinks: false },
  },
};

const id = (value: string) => encodeURIComponent(value);
const sharePath = (projectId: string, contactId: string) =>
  `/projects/${id(projectId)}/extranet-shares/${id(contactId)}`;

export class CrmExtranet {
  constructor(private readonly session: { readonly http: CrmHttp } & CrmAuth) {}

  /** The share of the project with this contact, or null when it is not shared. */
  async get(projectId: string, contactId: string): Promise<ExtranetShare | null> {
    const res = await this.session.http.send({
      method: 'GET',
      path: sharePath(projectId, contactId),
      schema: ExtranetShareSchema,
      auth: this.session,
      expect: [404],
    });
    return res.ok ? res.body : null;
  }

  /** Everyone the project is shared with. */
  async list(projectId: string): Promise<ExtranetShare[]> {
    const res = await this.session.http.call({
      method: 'GET',
      path: `/projects/${id(projectId)}/extranet-shares`,
      schema: ExtranetSharePageSchema,
      auth: this.session,
    });
    return res.items;
  }

  /** Shares, or changes the sharing; `invited` when this was the first share (SPEC O3). */
  async save(
    projectId: string,
    contactId: string,
    access: ExtranetAccess,
  ): Promise<{ share: ExtranetShare; invited: boolean }> {
    const res = await this.session.http.send({
      method: 'PUT',
      path: sharePath(projectId, contactId),
      body: { rights: access.rights, sections: access.sections },
      schema: ExtranetShareSchema,
      auth: this.session,
    });
    if (!res.ok) throw new Error(`Unexpected status ${res.status}`);
    return { share: res.body, invited: res.status === 201 };
  }

  /** Stops the sharing; true when there was one to stop. */
  async stop(projectId: string, contactId: string): Promise<boolean> {
    const res = await this.session.http.send({
      method: 'DELETE',
      path: sharePath(projectId, contactId),
      schema: null,
      auth: this.session,
      expect: [404],
    });
    return res.ok;
  }
}
