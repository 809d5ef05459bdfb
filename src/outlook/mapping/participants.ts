import type { Participant } from '../../sync/core/model';
import type { GraphEvent } from '../graphSchemas';

/** What the CRM knows about an address (SPEC F4); null = an external person. */
export type ClassifyParticipant = (
  email: string,
) => { readonly kind: 'user' | 'contact'; readonly crmId?: string } | null;

type Attendee = NonNullable<GraphEvent['attendees']>[number];

/** Graph attendees → participants: rooms and equipment are resources (SPEC F4, F5). */
export function fromAttendees(
  attendees: readonly Attendee[],
  classify: ClassifyParticipant | undefined,
): Participant[] {
  return attendees.flatMap((a): Participant[] => {
    const email = a.emailAddress?.address?.trim().toLowerCase() || undefined;
    const name = a.emailAddress?.name?.trim() || undefined;
    if (!email && !name) return [];
    const base = { ...(email ? { email } : {}), ...(name ? { name } : {}) };
    if (a.type === 'resource') return [{ kind: 'resource', ...base, optional: false }];
    const known = email && classify ? classify(email) : null;
    const crm = known ? { kind: known.kind, ...(known.crmId ? { crmId: known.crmId } : {}) } : null;
    return [{ kind: 'external', ...base, ...crm, optional: a.type === 'optional' }];
  });
}

export interface GraphAttendeeInput {
  type: 'required' | 'optional' | 'resource';
  emailAddress: { address: string; name?: string };
}

/**
 * Participants → Graph attendees. Only people with an address can be invited. SPEC F4: the
 * customer's contact people stay in the CRM unless `inviteContacts`; CRM resources without an
 * address stay in the CRM, rooms that came from Outlook (they have one) go back as rooms.
 */
export function toAttendees(
  participants: readonly Participant[],
  options: { readonly inviteContacts?: boolean } = {},
): GraphAttendeeInput[] {
  return participants.flatMap((p): GraphAttendeeInput[] => {
    if (!p.email) return [];
    if (p.kind === 'contact' && !options.inviteContacts) return [];
    const type = p.kind === 'resource' ? 'resource' : p.optional ? 'optional' : 'required';
    return [{ type, emailAddress: { address: p.email, ...(p.name ? { name: p.name } : {}) } }];
  });
}
