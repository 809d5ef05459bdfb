/**
 * SPEC P1: private items sync in full, as a busy block without content, or not at all. Outlook
 * "private" ⇄ the CRM's personal activity type; without one, the default type is used and the
 * item becomes visible to every CRM user (the pane says so).
 */
import type { CalendarItem } from '../model';
import type { SyncSettings } from '../settings';

/** Fields a busy block hides; they never travel in either direction. */
const HIDDEN = ['subject', 'location', 'description', 'participants'] as const;

export function isBusyBlock(item: CalendarItem, settings: SyncSettings): boolean {
  return item.isPrivate && settings.privateMode === 'busy';
}

/** What a private Outlook item shows the CRM. */
export function crmView(item: CalendarItem, settings: SyncSettings): CalendarItem {
  if (!isBusyBlock(item, settings)) return item;
  return {
    ...item,
    subject: settings.busySubject,
    location: '',
    description: '',
    participants: [],
  };
}

/** The fields sync may write into Outlook: a busy block's hidden fields stay as Outlook has them. */
export function writableInOutlook<F extends string>(
  fields: readonly F[],
  outlookItem: CalendarItem,
  settings: SyncSettings,
): F[] {
  if (!isBusyBlock(outlookItem, settings)) return [...fields];
  return fields.filter((field) => !(HIDDEN as readonly string[]).includes(field));
}

/** The CRM type an item made in Outlook gets (SPEC T3, P1); null = it waits for a choice. */
export function typeForOutlookItem(
  item: CalendarItem,
  settings: SyncSettings,
  chosen: string | undefined,
): string | null {
  if (chosen !== undefined) return chosen;
  if (item.isPrivate && settings.personalTypeId !== null) return settings.personalTypeId;
  return settings.defaultTypeId;
}
