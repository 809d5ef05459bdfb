/**
 * The contact step of the engine over the in-memory fakes (SPEC K1, K2, K3, D3, D4): what a run
 * does to each side, the K2 delete semantics in both settings, K1's activity contacts, the
 * brake, and the duplicate finder's keep / merge.
 */
import type { ContactItem } from '../../../src/sync/core/contacts/model';
import type { ContactMode } from '../../../src/sync/core/contacts/types';
import type { EngineDeps } from '../../../src/sync/engine/context';
import {
  findContactDuplicates,
  resolveDuplicates,
} from '../../../src/sync/engine/contacts/duplicates';
import { InProcessRunLock } from '../../../src/sync/engine/lock';
import { runSync } from '../../../src/sync/engine/run';
import { InMemoryCrmBackend } from '../../fakes/inMemoryCrmActivities';
import { InMemoryCrmContactBackend } from '../../fakes/inMemoryCrmContacts';
import { InMemoryOutlookCalendar } from '../../fakes/inMemoryOutlookCalendar';
import { InMemoryOutlookContacts } from '../../fakes/inMemoryOutlookContacts';
import { at, item, NOW, settings } from '../../support/planFixtures';
import { dexieStore, dbOf } from '../../support/store';

const FOLDER = 'CRM contacts';
const person = (o: Partial<ContactItem> = {}): ContactItem => ({
  firstName: 'Aino',
  lastName: 'Virtanen',
  email: 'aino@customer.example',
  phone: null,
  title: null,
  ...o,
});
let n = 0;

function setup(mode: ContactMode, addActivityContacts = false) {
  const outlookContacts = new InMemoryOutlookContacts();
  const backend = new InMemoryCrmContactBackend(() => Date.parse(NOW));
  const calendar = new InMemoryOutlookCalendar(settings.mailbox);
  const activities = new InMemoryCrmBackend(() => Date.parse(NOW));
  const deps: EngineDeps = {
    outlook: calendar,
    crm: activities.as(settings.crmUserId),
    store: dexieStore(`contacts-engine-${(n += 1)}@contoso.example`),
    settings,
    calendarId: 'calendar',
    clock: () => NOW,
    lock: new InProcessRunLock(),
    holderId: 'client',
    contacts: {
      outlook: outlookContacts,
      crm: backend.as(settings.crmUserId),
      settings: { mode, addActivityContacts, conflictPolicy: 'newest-wins' },
      folderName: FOLDER,
    },
  };
  const folder = () => [...outlookContacts.folders.keys()][0]!;
  return { deps, outlookContacts, backend, activities, folder };
}

describe('contact sync through runSync (SPEC K2)', () => {
  it('two-way: marked CRM contacts reach Outlook stamped in our own folder; Outlook contacts reach the CRM', async () => {
    const { deps, outlookContacts, backend, folder } = setup('twoWay');
    const marked = backend.personCreate(person(), { markedFor: settings.crmUserId });
    backend.personCreate(person({ firstName: 'Other', email: 'o@x.example' }));
    expect((await runSync(deps)).state).toBe('done');
    expect(outlookContacts.folders.get(folder())).toBe(FOLDER);
    expect(outlookContacts.all(folder()).map((c) => c.crmId)).toEqual([marked]);

    outlookContacts.personCreate(folder(), person({ firstName: 'Bertil', email: 'b@x.example' }));
    await runSync(deps);
    const created = [...backend.rows.values()].find((r) => r.item.firstName === 'Bertil');
    expect(created?.marks.has(settings.crmUserId)).toBe(true); // the person's own contact
    expect(outlookContacts.all(folder()).every((c) => c.crmId !== null)).toBe(true);
  });

  it('K2: deleting in Outlook archives the CRM contact, its content in the trash first', async () => {
    const { deps, outlookContacts, backend, folder } = setup('twoWay');
    const id = backend.personCreate(person(), { markedFor: settings.crmUserId });
    await runSync(deps);
    outlookContacts.personDelete(outlookContacts.all(folder())[0]!.id);
    await runSync(deps);
    expect(backend.rows.get(id)).toMatchObject({ archived: true, deleted: false });
    expect((await dbOf(deps).trash.toArray()).map((t) => t.contact?.deleted?.lastName)).toEqual([
      'Virtanen',
    ]);
    await runSync(deps);
    expect(outlookContacts.all(folder())).toEqual([]); // an archived contact is not copied again
  });

  it.each([
    ['deleting', (b: InMemoryCrmContactBackend, id: string) => b.personDelete(id)],
    ['archiving', (b: InMemoryCrmContactBackend, id: string) => b.personArchive(id)],
  ])(
    'K2: %s in the CRM deletes the Outlook contact, into the trash (both settings)',
    async (_, act) => {
      for (const mode of ['twoWay', 'crmToOutlook'] as const) {
        const { deps, outlookContacts, backend, folder } = setup(mode);
        const id = backend.personCreate(person(), { markedFor: settings.crmUserId });
        await runSync(deps);
        expect(outlookContacts.all(folder())).toHaveLength(1);
        act(backend, id);
        await runSync(deps);
        expect(outlookContacts.all(folder())).toEqual([]);
        expect(await dbOf(deps).contactLinks.count()).toBe(0);
        expect((await dbOf(deps).trash.toArray())[0]?.contact?.deleted).toEqual(person());
      }
    },
  );

  it('one-way CRM → Outlook never writes the CRM: Outlook deletes set the contact aside, Outlook edits are put back', async () => {
    const { deps, outlookContacts, backend, folder } = setup('crmToOutlook');
    const a = backend.personCreate(person(), { markedFor: settings.crmUserId });
    backend.personCreate(person({ firstName: 'Bertil', email: 'b@x.example' }), {
      markedFor: settings.crmUserId,
    });
    await runSync(deps);
    const [copyA, copyB] = outlookContacts.all(folder());
    outlookContacts.personEdit(copyB!.id, { title: 'Typed in Outlook' });
    outlookContacts.personDelete(copyA!.id);
    outlookContacts.personCreate(folder(), person({ firstName: 'Own', email: 'own@x.example' }));
    await runSync(deps);
    await runSync(deps);
    expect(backend.writes).toEqual({ create: 0, update: 0, archive: 0 });
    expect(backend.rows.get(a)?.archived).toBe(false);
    const left = outlookContacts.all(folder());
    expect(left.map((c) => c.item.firstName).sort()).toEqual(['Bertil', 'Own']); // A is not copied again
    expect(left.find((c) => c.item.firstName === 'Bertil')?.item.title).toBeNull();
    expect((await dbOf(deps).trash.toArray()).map((t) => t.contact?.lost?.value)).toContain(
      'Typed in Outlook',
    );
  });

  it('D3: a run that would archive many CRM contacts stops and asks', async () => {
    const { deps, outlookContacts, backend, folder } = setup('twoWay');
    for (let i = 0; i < 12; i += 1) {
      backend.personCreate(person({ email: `p${i}@x.example` }), { markedFor: settings.crmUserId });
    }
    await runSync(deps);
    for (const c of outlookContacts.all(folder())) outlookContacts.personDelete(c.id);
    const outcome = await runSync(deps);
    expect(outcome).toMatchObject({
      state: 'braked',
      brake: { kind: 'massDelete', items: 'contacts' },
    });
    expect([...backend.rows.values()].filter((r) => r.archived)).toHaveLength(0);
    await runSync(deps, { massDeleteConfirmed: true });
    expect([...backend.rows.values()].filter((r) => r.archived)).toHaveLength(12);
  });
});

describe('SPEC K1: contact people of synced activities go to the address book', () => {
  it('an unmarked contact taking part in a synced activity is copied, and kept current', async () => {
    const { deps, outlookContacts, backend, activities, folder } = setup('off', true);
    const contactId = backend.personCreate(person());
    await activities.as(settings.crmUserId).create(
      {
        item: item({
          ...at('2026-11-23T09:00:00Z'),
          participants: [
            { kind: 'contact', crmId: contactId, name: 'Aino Virtanen', optional: false },
          ],
        }),
        typeId: 'typ_meeting',
      },
      { idempotencyKey: 'k1' },
    );
    await runSync(deps);
    expect(outlookContacts.all(folder()).map((c) => c.crmId)).toEqual([contactId]);
    backend.personEdit(contactId, { title: 'CFO' });
    await runSync(deps);
    expect(outlookContacts.all(folder())[0]?.item.title).toBe('CFO');
    expect(backend.writes).toEqual({ create: 0, update: 0, archive: 0 });
  });
});

describe('SPEC K3: duplicates, keep or merge', () => {
  it('finds same e-mail / same name and company, and a merge archives the others and deletes their copies', async () => {
    const { deps, outlookContacts, backend, folder } = setup('twoWay');
    const keep = backend.personCreate(person({ phone: null }), { markedFor: settings.crmUserId });
    const dup = backend.personCreate(
      person({ email: 'AINO@customer.example', phone: '+358 40 1' }),
      {
        markedFor: settings.crmUserId,
      },
    );
    backend.personCreate(person({ firstName: 'Unique', email: 'u@x.example' }));
    await runSync(deps);
    expect(outlookContacts.all(folder())).toHaveLength(2);
    const { groups } = await findContactDuplicates(deps.contacts!);
    expect(groups).toEqual([{ ids: [keep, dup], reasons: ['email'] }]);

    const kept = await resolveDuplicates(deps, deps.contacts!, {
      keepId: keep,
      otherIds: [dup],
      merge: true,
    });
    expect(kept.item.phone).toBe('+358 40 1');
    expect(backend.rows.get(dup)?.archived).toBe(true);
    expect((await dbOf(deps).trash.toArray()).map((t) => t.crmId)).toEqual([dup]);
    await runSync(deps);
    const copies = outlookContacts.all(folder());
    expect(copies.map((c) => [c.crmId, c.item.phone])).toEqual([[keep, '+358 40 1']]);
  });

  it('keep: the others go without their fields being merged', async () => {
    const { deps, backend } = setup('twoWay');
    const keep = backend.personCreate(person());
    const dup = backend.personCreate(person({ phone: '+358 40 1' }));
    const kept = await resolveDuplicates(deps, deps.contacts!, {
      keepId: keep,
      otherIds: [dup],
      merge: false,
    });
    expect(kept.item.phone).toBeNull();
    expect(backend.rows.get(dup)?.archived).toBe(true);
  });
});
