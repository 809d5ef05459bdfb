/**
 * What one run is made of (engine/run.ts): the kinds it syncs with their options, the settings
 * of a "sync again from date" run, and the brake's sliding-window arithmetic.
 */
import { Temporal } from 'temporal-polyfill';
import type { CalendarItem, Instant, PlainDate } from '../core/model';
import type { SyncSettings } from '../core/settings';
import type { RunRow } from '../store/rows';
import { calendarKind } from './calendarKind';
import { contactKind, contactsActive } from './contacts/kind';
import type { EngineDeps } from './context';
import type { ItemKind } from './kind';
import type { RunOptions } from './run';

/** The settings with both history windows reaching back to `from` (never narrower). */
export function settingsFrom(settings: SyncSettings, from: PlainDate, now: Instant): SyncSettings {
  const today = Temporal.Instant.from(now).toZonedDateTimeISO(settings.timeZone).toPlainDate();
  const days = Temporal.PlainDate.from(from).until(today, { largestUnit: 'days' }).days;
  const widen = (direction: SyncSettings['outlookToCrm']) => ({
    ...direction,
    daysBack: Math.max(direction.daysBack, days),
  });
  return {
    ...settings,
    outlookToCrm: widen(settings.outlookToCrm),
    crmToOutlook: widen(settings.crmToOutlook),
  };
}

/** SPEC K1: the CRM contact people taking part in the activities of this run that are synced. */
async function activityContactIds(
  deps: EngineDeps,
  activities: readonly { readonly id: string; readonly item: CalendarItem }[],
): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const activity of activities) {
    if (!(await deps.store.linkByCrmId('calendar', activity.id))) continue;
    for (const p of activity.item.participants) {
      if (p.kind === 'contact' && p.crmId) ids.add(p.crmId);
    }
  }
  return ids;
}

/** The kinds this run syncs, in order: the calendar, then contacts when their settings ask. */
export function kindsOf(deps: EngineDeps, options: RunOptions, startedAt: string, recent: number) {
  const common = {
    full: options.full === true,
    massDeleteConfirmed: options.massDeleteConfirmed ?? false,
    recentDestructive: recent,
  };
  const calendar = calendarKind(deps, {
    ...common,
    startedAt,
    ...(options.typeChoices ? { typeChoices: options.typeChoices } : {}),
  });
  const kinds: ItemKind<{ readonly op: string }>[] = [
    calendar as ItemKind<{ readonly op: string }>,
  ];
  // The run's settings (the Preferences as saved now) win over those the adapters were wired with.
  const contacts =
    deps.contacts && deps.settings.contacts
      ? { ...deps.contacts, settings: deps.settings.contacts }
      : deps.contacts;
  if (contacts && contactsActive(contacts)) {
    const ids = () =>
      contacts.settings.addActivityContacts
        ? activityContactIds(deps, calendar.activities())
        : Promise.resolve(new Set<string>());
    kinds.push(
      contactKind(deps, contacts, { ...common, activityContactIds: ids }) as ItemKind<{
        readonly op: string;
      }>,
    );
  }
  return kinds;
}

/** The deletions and overwrites a run carried out, for the brake's sliding window. */
const DESTRUCTIVE_COUNTS = [
  'cancelInCrm',
  'removeMeInCrm',
  'deleteInOutlook',
  'trash',
  'contactArchiveInCrm',
  'contactDeleteInOutlook',
] as const;

export function destructiveOf(counts: RunRow['counts']): number {
  return DESTRUCTIVE_COUNTS.reduce((sum, op) => sum + (counts[op] ?? 0), 0);
}

export function hoursBefore(instant: Instant, hours: number): Instant {
  return new Date(Date.parse(instant) - hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
