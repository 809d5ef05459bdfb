import type {
  ExtranetAccess,
  ExtranetShare,
  RelationIds,
  RelationKind,
  RelationOption,
} from '../../../src/crm';
import { ConflictError, SyncError } from '../../../src/sync/core/errors';
import type {
  ContactParticipant,
  ItemActivityView,
  ItemCrm,
  SharableProject,
} from '../../../src/taskpane/item/itemService';

interface StoredActivity {
  id: string;
  version: number;
  typeId: string;
  relations: RelationIds;
  /** SPEC O3: the contact persons among the participants. */
  contacts?: ContactParticipant[];
}

/**
 * A CRM that behaves like the reference server for the item view, in memory: relations must exist
 * (else 422 → invalidRequest), a stale ETag loses (412 → ConflictError), names are looked up.
 */
export class FakeItemCrm implements ItemCrm {
  readonly customers: RelationOption[] = [];
  readonly projects: RelationOption[] = [];
  readonly salesCases: RelationOption[] = [];
  readonly activities = new Map<string, StoredActivity>();
  readonly webLinks = new Map<string, string>();
  searches: { kind: RelationKind; q: string }[] = [];
  /** SPEC O3: the open projects of each contact person's customer. */
  readonly openProjects = new Map<string, SharableProject[]>();
  /** Extranet shares by `${projectId}/${contactId}`. */
  readonly shares = new Map<string, ExtranetShare>();

  private list(kind: RelationKind): RelationOption[] {
    return kind === 'customer'
      ? this.customers
      : kind === 'project'
        ? this.projects
        : this.salesCases;
  }

  private view(a: StoredActivity): ItemActivityView {
    const find = (kind: RelationKind, id: string | null) =>
      id === null ? null : (this.list(kind).find((r) => r.id === id) ?? null);
    return {
      id: a.id,
      etag: `"${a.version}"`,
      typeId: a.typeId,
      completed: false,
      cancelled: false,
      relations: {
        customer: find('customer', a.relations.customerId),
        project: find('project', a.relations.projectId),
        salesCase: find('salesCase', a.relations.salesCaseId),
      },
      contacts: a.contacts ?? [],
      crmUrl: `https://crm.example.com/app/activities/${a.id}`,
    };
  }

  async activity(crmId: string): Promise<ItemActivityView | null> {
    const a = this.activities.get(crmId);
    return a ? this.view(a) : null;
  }

  async search(kind: RelationKind, q: string, customerId?: string) {
    this.searches.push({ kind, q });
    return this.list(kind)
      .filter((r) => r.name.toLowerCase().includes(q.toLowerCase()))
      .filter((r) => customerId === undefined || r.customerId === customerId)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async setRelations(crmId: string, relations: RelationIds, etag: string) {
    const a = this.activities.get(crmId);
    if (!a) throw new SyncError('itemNotFound', '404');
    if (etag !== `"${a.version}"`) throw new ConflictError('412', this.view(a));
    const missing = (kind: RelationKind, id: string | null) =>
      id !== null && !this.list(kind).some((r) => r.id === id);
    if (
      missing('customer', relations.customerId) ||
      missing('project', relations.projectId) ||
      missing('salesCase', relations.salesCaseId)
    ) {
      throw new SyncError('invalidRequest', '422 unknown relation');
    }
    a.relations = { ...relations };
    a.version += 1;
    return this.view(a);
  }

  async outlookUrl(outlookId: string) {
    return this.webLinks.get(outlookId) ?? null;
  }

  async projectsToShare(contactId: string) {
    return this.openProjects.get(contactId) ?? [];
  }

  async share(projectId: string, contactId: string) {
    return this.shares.get(`${projectId}/${contactId}`) ?? null;
  }

  async saveShare(projectId: string, contactId: string, access: ExtranetAccess) {
    const key = `${projectId}/${contactId}`;
    const earlier = this.shares.get(key);
    const at = '2026-11-20T08:00:00Z';
    const share: ExtranetShare = {
      projectId,
      contactId,
      rights: access.rights,
      sections: access.sections,
      invitedAt: earlier?.invitedAt ?? at,
      updatedAt: at,
    };
    this.shares.set(key, share);
    return { share, invited: earlier === undefined };
  }

  async stopShare(projectId: string, contactId: string) {
    return this.shares.delete(`${projectId}/${contactId}`);
  }
}
