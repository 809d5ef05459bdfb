/**
 * A contact person as both sides map into it (SPEC K1–K3): the fields that sync. The CRM's
 * customer (a relation, like an activity's — F2) stays in the CRM; Outlook's other contact
 * fields (addresses, birthdays …) stay in Outlook.
 */
export interface ContactItem {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly title: string | null;
}

export const CONTACT_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'title',
] as const satisfies readonly (keyof ContactItem)[];

export type ContactField = (typeof CONTACT_FIELDS)[number];

const text = (value: string | null | undefined): string =>
  (value ?? '').replace(/\s+/g, ' ').trim();
const optional = (value: string | null | undefined): string | null => text(value) || null;

/** Whitespace collapsed and trimmed; an empty optional field is null on both sides. */
export function normaliseContact(c: ContactItem): ContactItem {
  return {
    firstName: text(c.firstName),
    lastName: text(c.lastName),
    email: optional(c.email),
    phone: optional(c.phone),
    title: optional(c.title),
  };
}

/** A name for lists and the trash (never logged). */
export function contactLabel(c: ContactItem): string {
  return text(`${c.firstName} ${c.lastName}`) || (c.email ?? '');
}

/** The given fields of a contact: what a write carries (only the fields that differ). */
export function pickFields(
  item: ContactItem,
  fields: readonly ContactField[],
): Partial<ContactItem> {
  const out: Partial<Record<ContactField, string | null>> = {};
  for (const f of fields) out[f] = item[f];
  return out as Partial<ContactItem>;
}
