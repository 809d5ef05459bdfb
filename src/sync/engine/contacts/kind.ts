/**
 * Contacts, the second item kind (SPEC K1, K2; engine/kind.ts): after the calendar's, under the
 * same lock and lease, with the same outbox, trash, records, quarantine and brake. Contact keys
 * are `k:o:<id>` and `k:c:<id>` in the shared tables, so one item's failure is set aside after
 * three runs (E4) exactly as an activity's.
 */
import { planContacts } from '../../core/contacts/plan';
import type { HeldItem, MassDeleteConfirmation } from '../../core/plan/brake';
import { contactLabel } from '../../core/contacts/model';
import type { ContactLink, ContactOperation } from '../../core/contacts/types';
import type { OutlookContact } from '../../ports';
import type { Operation } from '../../core/plan/types';
import type { OutboxRow, PendingRow } from '../../store/rows';
import type { ContactDeps, EngineDeps } from '../context';
import type { ItemKind } from '../kind';
import { applyContactOperation, contactItemKey } from './apply';
import { contactStepDone, contactStepDue } from './cadence';
import { replayContactIntent } from './create';
import { gatherContacts } from './gather';

export interface ContactKindOptions {
  readonly full: boolean;
  readonly massDeleteConfirmed: MassDeleteConfirmation;
  readonly recentDestructive: number;
  /** SPEC K1: CRM contact people of the activities this run found linked (asked at plan time). */
  readonly activityContactIds: () => Promise<ReadonlySet<string>>;
}

/** The records speak the calendar's words, so the item and status views need nothing new. */
const RECORDED_AS: Record<ContactOperation['op'], Operation['op']> = {
  contactLink: 'link',
  contactCreateInCrm: 'createInCrm',
  contactCreateInOutlook: 'createInOutlook',
  contactUpdate: 'updateCrm',
  contactArchiveInCrm: 'cancelInCrm',
  contactDeleteInOutlook: 'deleteInOutlook',
  contactUnlink: 'unlink',
};

function pendingOf(op: ContactOperation): PendingRow {
  const itemKey = contactItemKey(op);
  switch (op.op) {
    case 'contactCreateInCrm':
      return { itemKey, outlookId: op.outlook.id };
    case 'contactCreateInOutlook':
      return { itemKey, crmId: op.crm.id };
    case 'contactLink':
      return { itemKey, outlookId: op.outlook.id, crmId: op.crm.id };
    case 'contactDeleteInOutlook':
      return { itemKey, outlookId: op.outlookId, crmId: op.crmId };
    default:
      return { itemKey, outlookId: op.link.outlookId, crmId: op.link.crmId };
  }
}

const isCreate = (op: OutboxRow['operation']): boolean =>
  op.op === 'contactCreateInCrm' || op.op === 'contactCreateInOutlook';

/**
 * SPEC D3: the brake's contacts as its question lists them — by name (else e-mail), as read now
 * or as last synced when gone.
 */
function describeHeld(
  ids: readonly string[],
  read: ReadonlyMap<string, OutlookContact>,
  links: readonly ContactLink[],
): HeldItem[] {
  const bases = new Map(links.map((link) => [link.outlookId, link.outlookBase]));
  return ids.map((id) => {
    const item = read.get(id)?.item ?? bases.get(id);
    return { id, subject: item ? contactLabel(item) : '', start: null };
  });
}

/** Whether the contact kind has anything to do under these settings. */
export function contactsActive(contacts: ContactDeps): boolean {
  return contacts.settings.mode !== 'off' || contacts.settings.addActivityContacts;
}

export function contactKind(
  deps: EngineDeps,
  contacts: ContactDeps,
  options: ContactKindOptions,
): ItemKind<ContactOperation> {
  const { store } = deps;
  let apply: (op: ContactOperation) => Promise<void> = () =>
    Promise.reject(new Error('Not planned'));
  return {
    name: 'contacts',
    ownsIntent: isCreate,
    replayIntent: (row) => replayContactIntent(deps, contacts, row),
    async plan() {
      const activityContactIds = await options.activityContactIds();
      // Issue 15: a mode changed since the last run reads both sides in full — what one-way sync
      // left uncopied (the person's own Outlook contacts) is behind the cursors by then.
      const mode = contacts.settings.mode;
      const lastMode = (await store.cursor('contactMode'))?.value;
      const full = options.full || (lastMode !== undefined && lastMode !== mode);
      if (!(await contactStepDue(deps, contacts, full, activityContactIds))) {
        return {
          operations: [],
          brake: null,
          held: [],
          heldItems: [],
          commitCursors: async () => undefined,
        };
      }
      const g = await gatherContacts(deps, contacts, full, activityContactIds);
      const quarantined = await store.quarantinedKeys();
      const setAside = new Set(
        [...quarantined].filter((k) => k.startsWith('k:c:')).map((k) => k.slice('k:c:'.length)),
      );
      const { operations, brake, held } = planContacts(
        {
          links: await store.links('contacts'),
          outlookChanged: g.outlookChanged.filter((c) => !quarantined.has(`k:o:${c.id}`)),
          outlookDeleted: g.outlookDeleted,
          crmChanged: g.crmChanged,
          crmDeleted: g.crmDeleted,
          outlookIsFullListing: g.outlookIsFullListing,
          crmIsFullListing: g.crmIsFullListing,
          activityContactIds,
          setAside,
          massDeleteConfirmed: options.massDeleteConfirmed,
          recentDestructive: options.recentDestructive,
        },
        contacts.settings,
      );
      const lookup = {
        folderId: g.folderId,
        outlook: new Map(g.outlookChanged.map((c) => [c.id, c])),
        crm: new Map(g.crmChanged.map((c) => [c.id, c])),
      };
      apply = (op) => applyContactOperation(deps, contacts, op, lookup);
      // Issue 14: a CRM contact that could not be read is recorded on the item and in the run.
      const links = await store.links('contacts');
      const failures = [];
      for (const id of g.crmUnreadable) {
        const linked = links.find((l) => l.crmId === id);
        const itemKey = linked ? `k:o:${linked.outlookId}` : `k:c:${id}`;
        failures.push({ itemKey, code: 'invalidResponse' });
        await store.recordSkipped({ itemKey, at: deps.clock(), code: 'crmUnreadable' });
      }
      return {
        operations,
        brake,
        held,
        heldItems: describeHeld(brake?.ids ?? [], lookup.outlook, links),
        failures,
        async commitCursors() {
          await store.putCursor({ name: 'crmContactChanges', value: g.crm.cursor });
          await store.putCursor({ name: 'outlookContactsDelta', value: g.outlook.deltaLink });
          await store.putCursor({ name: 'contactMode', value: mode });
          await store.putCursor(contactStepDone(deps, contacts));
        },
      };
    },
    apply: (op) => apply(op),
    itemKey: contactItemKey,
    pendingOf,
    recordAs: (op) => RECORDED_AS[op.op],
    recordsSuccess: () => true,
    needsLease: () => true,
  };
}
