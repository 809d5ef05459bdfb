/**
 * SPEC P1: private items sync in full, as a busy block without content, or not at all. Outlook
 * "private" ⇄ the CRM's personal activity type; without one, the default type is used and the
 * item becomes visible to every CRM user (the pane says so).
 */
import { crmItem, crmParticipants } from '../crmText';
import type { CalendarItem } from '../model';
import type { SyncSettings } from '../settings';
import type { Exclusion } from './types';

/** Fields a busy block hides; they never travel in either direction. */
const HIDDEN = ['subject', 'location', 'description', 'participants'] as const;

export function isBusyBlock(item: CalendarItem, settings: SyncSettings): boolean {
  return item.isPrivate && settings.privateMode === 'busy';
}

/**
 * What an Outlook item shows the CRM: a private one masked (P1), and every one as the contract
 * takes it (issue 14 item 3, crmText.ts). The plan compares Outlook with its base through this
 * view, so the cleaned copy the CRM holds never comes back to rewrite Outlook's own value.
 */
export function crmView(item: CalendarItem, settings: SyncSettings): CalendarItem {
  if (!isBusyBlock(item, settings)) return crmItem(item);
  return crmItem({
    ...item,
    subject: settings.busySubject,
    location: '',
    description: '',
    participants: [],
  });
}

/**
 * Issue 14 item 3: attendees beyond the contract's cap are not sent; the item carries a note that
 * says how many (its history, shown in the pane), while the first 500 sync.
 */
export function attendeesOverCap(
  event: { readonly id: string; readonly item: CalendarItem },
  settings: SyncSettings,
): Exclusion | null {
  if (isBusyBlock(event.item, settings)) return null;
  const { overCap } = crmParticipants(event.item.participants);
  if (overCap === 0) return null;
  return {
    side: 'outlook',
    id: event.id,
    reason: 'attendeesOverCap',
    detail: [String(overCap)],
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
