/** SPEC K3: the contact half of the pane's duplicate finder, over the running engine. */
import { CrmDirectory } from '../../crm';
import { contactLabel } from '../../sync/core/contacts/model';
import type { SyncSettings } from '../../sync/core/settings';
import type { ContactDeps, EngineDeps } from '../../sync/engine/context';
import {
  findContactDuplicates,
  resolveDuplicates as resolveContactDuplicates,
} from '../../sync/engine/contacts/duplicates';
import type { DuplicateFinder, StartSyncInput } from './syncController';

/**
 * SPEC K3: the contact half of the duplicate finder, with the run's contact settings as saved now
 * (as run.ts does); nothing is found while contact sync is off.
 */
export function contactFinder(
  deps: EngineDeps,
  currentSettings: () => SyncSettings,
  input: StartSyncInput,
  underRunLock: (work: () => Promise<unknown>) => Promise<void>,
): Pick<DuplicateFinder, 'findContacts' | 'resolveContacts'> {
  const currentContacts = (): ContactDeps | null => {
    const settings = currentSettings().contacts;
    if (!deps.contacts || !settings) return null;
    if (settings.mode === 'off' && !settings.addActivityContacts) return null;
    return { ...deps.contacts, settings };
  };
  const session = input.connection.crm?.session;
  const directory = session ? new CrmDirectory(session) : null;
  const companyName = async (customerId: string | null): Promise<string | null> => {
    if (customerId === null || !directory) return null;
    try {
      return (await directory.customer(customerId))?.name ?? null;
    } catch {
      return null;
    }
  };
  return {
    async findContacts() {
      const contacts = currentContacts();
      if (!contacts) return [];
      const { groups, byId } = await findContactDuplicates(contacts);
      const names = new Map<string, Promise<string | null>>();
      const company = (customerId: string | null) => {
        if (customerId === null) return Promise.resolve(null);
        const known = names.get(customerId) ?? companyName(customerId);
        names.set(customerId, known);
        return known;
      };
      return Promise.all(
        groups.map(async (g) => ({
          id: `contacts:${g.ids.join('+')}`,
          members: await Promise.all(
            g.ids.flatMap((id) => {
              const c = byId.get(id);
              if (!c) return [];
              return [
                company(c.customerId).then((name) => ({
                  id,
                  name: contactLabel(c.item),
                  email: c.item.email,
                  company: name,
                })),
              ];
            }),
          ),
        })),
      );
    },
    async resolveContacts(answer) {
      await underRunLock(async () => {
        const contacts = currentContacts();
        if (!contacts) throw new Error('Contact sync is off');
        return resolveContactDuplicates({ ...deps, settings: currentSettings() }, contacts, answer);
      });
    },
  };
}
