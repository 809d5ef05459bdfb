/**
 * Issue 16, item 5: the contact step follows the CRM's cadence (SPEC S2, every 5 minutes — the
 * scheduler's pullIntervalMs) instead of every run. A run while the pane is open comes every few
 * seconds for the calendar; asking Graph and the CRM for contact changes each time doubled an idle
 * run's requests. The step still runs at once on a full run, when the contact settings changed,
 * and when this run's activities bring a contact person who is not linked yet (K1).
 */
import * as z from 'zod';
import type { ContactDeps, EngineDeps } from '../context';

/** What the cursor `contactsSyncedAt` holds: when the step last finished, under which settings. */
const LastStep = z.object({ at: z.string(), settings: z.string() });

const settingsKey = (contacts: ContactDeps): string => JSON.stringify(contacts.settings);

/** The cursor row to write when the step finished (with the kind's other cursors). */
export function contactStepDone(deps: EngineDeps, contacts: ContactDeps) {
  const value = JSON.stringify({ at: deps.clock(), settings: settingsKey(contacts) });
  return { name: 'contactsSyncedAt' as const, value };
}

/** Whether this run's contact step asks the services for changes. */
export async function contactStepDue(
  deps: EngineDeps,
  contacts: ContactDeps,
  full: boolean,
  activityContactIds: ReadonlySet<string>,
): Promise<boolean> {
  const cadenceMs = contacts.cadenceMs ?? 0;
  if (full || cadenceMs <= 0) return true;
  const stored = await deps.store.cursor('contactsSyncedAt');
  let last: z.infer<typeof LastStep> | null = null;
  try {
    const parsed = LastStep.safeParse(stored ? JSON.parse(stored.value) : null);
    last = parsed.success ? parsed.data : null;
  } catch {
    last = null; // unreadable: ask the services, which writes a good one
  }
  if (last === null || last.settings !== settingsKey(contacts)) return true;
  const since = Date.parse(deps.clock()) - Date.parse(last.at);
  // A clock that went back (or an unreadable time) is no reason to wait.
  if (!(since >= 0 && since < cadenceMs)) return true;
  if (activityContactIds.size === 0) return false;
  const linked = new Set((await deps.store.links('contacts')).map((l) => l.crmId));
  return [...activityContactIds].some((id) => !linked.has(id));
}
