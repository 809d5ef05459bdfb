/**
 * Builders for the planners' tests: one Outlook event, one CRM activity, one link, settings; and
 * for the contact planner (SPEC K2) one person, one Outlook and one CRM contact, one contact link,
 * the contact settings and plan input.
 */
import type { ContactItem } from '../../src/sync/core/contacts/model';
import type {
  ContactLink,
  ContactPlanInput,
  ContactSettings,
} from '../../src/sync/core/contacts/types';
import type { CalendarItem } from '../../src/sync/core/model';
import { normaliseItem } from '../../src/sync/core/normalise';
import type { Link, PlanInput } from '../../src/sync/core/plan/types';
import { DEFAULT_DIRECTION, type SyncSettings } from '../../src/sync/core/settings';
import type { CrmActivity, CrmContact, OutlookContact, OutlookEvent } from '../../src/sync/ports';

export const NOW = '2026-11-22T10:00:00Z';

export const settings: SyncSettings = {
  outlookToCrm: DEFAULT_DIRECTION,
  crmToOutlook: DEFAULT_DIRECTION,
  defaultTypeId: 'typ_meeting',
  personalTypeId: 'typ_personal',
  privateMode: 'full',
  busySubject: 'Busy',
  conflictPolicy: 'newest-wins',
  timeZone: 'Europe/Helsinki',
  mailbox: 'anna@contoso.example',
  crmUserId: 'usr_anna',
};

export function item(overrides: Partial<CalendarItem> = {}): CalendarItem {
  return {
    subject: 'Steering group',
    time: {
      kind: 'timed',
      start: '2026-11-25T07:00:00Z',
      end: '2026-11-25T08:00:00Z',
      timeZone: 'Europe/Helsinki',
    },
    location: 'Room 1',
    description: '',
    isPrivate: false,
    showAs: 'busy',
    reminderMinutes: 15,
    participants: [],
    recurrence: null,
    occurrenceOf: null,
    isCancelled: false,
    ...overrides,
  };
}

export function at(startIso: string, minutes = 60): Pick<CalendarItem, 'time'> {
  const end = new Date(Date.parse(startIso) + minutes * 60_000).toISOString().replace('.000', '');
  return { time: { kind: 'timed', start: startIso, end, timeZone: 'Europe/Helsinki' } };
}

export function outlookEvent(
  id: string,
  body: CalendarItem,
  extra: Partial<OutlookEvent> = {},
): OutlookEvent {
  return {
    id,
    etag: `W/"${id}-1"`,
    kind: 'single',
    item: body,
    crmId: null,
    organizerEmail: settings.mailbox,
    isOrganizer: true,
    webLink: null,
    lastModified: '2026-11-22T09:00:00Z',
    ...extra,
  };
}

export function crmActivity(
  id: string,
  body: CalendarItem,
  extra: Partial<CrmActivity> = {},
): CrmActivity {
  return {
    id,
    etag: `"${id}.v1"`,
    item: body,
    crm: {
      typeId: 'typ_meeting',
      relations: { customerId: null, projectId: null, salesCaseId: null },
      completed: false,
      ownerId: settings.crmUserId,
    },
    cancelled: false,
    outlookLinks: [],
    lastModified: '2026-11-22T09:00:00Z',
    ...extra,
  };
}

export function link(
  outlookId: string,
  crmId: string,
  base: CalendarItem,
  extra: Partial<Link> = {},
): Link {
  return {
    outlookId,
    crmId,
    outlookBase: normaliseItem(base),
    crmBase: normaliseItem(base),
    outlookEtag: `W/"${outlookId}-1"`,
    crmEtag: `"${crmId}.v1"`,
    crmTypeId: 'typ_meeting',
    isOwner: true,
    ...extra,
  };
}

/** What both planners' inputs start from: no links, nothing changed or gone on either side. */
const nothingChanged = () => ({
  links: [],
  outlookChanged: [],
  outlookDeleted: [],
  crmChanged: [],
  crmDeleted: [],
  outlookIsFullListing: false,
  crmIsFullListing: false,
  massDeleteConfirmed: false,
});

export function input(overrides: Partial<PlanInput> = {}): PlanInput {
  return { ...nothingChanged(), typeChoices: {}, now: NOW, ...overrides };
}

// ─── Contacts (SPEC K2) ──────────────────────────────────────────────────────────────────────

/** One person: Aino Virtanen, with what differs. */
export function person(overrides: Partial<ContactItem> = {}): ContactItem {
  return {
    firstName: 'Aino',
    lastName: 'Virtanen',
    email: 'aino@customer.example',
    phone: null,
    title: null,
    ...overrides,
  };
}

export function outlookContact(
  id: string,
  overrides: Partial<ContactItem> = {},
  crmId: string | null = null,
): OutlookContact {
  return { id, etag: 'e', item: person(overrides), crmId, lastModified: '2026-11-22T10:00:00Z' };
}

export function crmContact(
  id: string,
  overrides: Partial<ContactItem> = {},
  extra: Partial<CrmContact> = {},
): CrmContact {
  return {
    id,
    etag: 'e',
    item: person(overrides),
    customerId: null,
    archived: false,
    markedForMe: true,
    lastModified: '2026-11-22T09:00:00Z',
    ...extra,
  };
}

export function contactLink(outlookId = 'o1', crmId = 'c1', base = person()): ContactLink {
  return { outlookId, crmId, outlookBase: base, crmBase: base };
}

/** Two-way contact sync, newest wins; the activities' contacts not added. */
export const contactSettings: ContactSettings = {
  mode: 'twoWay',
  addActivityContacts: false,
  conflictPolicy: 'newest-wins',
};

export function contactInput(overrides: Partial<ContactPlanInput> = {}): ContactPlanInput {
  return {
    ...nothingChanged(),
    activityContactIds: new Set(),
    setAside: new Set(),
    ...overrides,
  };
}
