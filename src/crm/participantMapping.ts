/**
 * SPEC F4 participants (CRM users, contact people, resources, external people) and F5 optional
 * attendees ⇄ the contract's Participant / ParticipantWrite.
 */
import type { Participant } from '../sync/core/model';
import type { components } from './generated/crm-sync-api';

type ApiParticipant = components['schemas']['Participant'];
type ParticipantWrite = components['schemas']['ParticipantWrite'];

// The contract refuses control/bidi characters and markup in names (single-line plain text).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_NAME = /[\u0000-\u001F\u007F\u200E\u200F\u202A-\u202E\u2066-\u2069]|<[A-Za-z/!?]/;

export function participantFromApi(p: ApiParticipant): Participant {
  const base = {
    optional: p.optional,
    ...(p.email ? { email: p.email.toLowerCase() } : {}),
    ...(p.name ? { name: p.name } : {}),
  };
  switch (p.kind) {
    case 'user':
      return { kind: 'user', crmId: p.userId, ...base };
    case 'contact':
      return { kind: 'contact', crmId: p.contactId, ...base };
    case 'resource':
      return { kind: 'resource', crmId: p.resourceId, ...base };
    case 'external':
      return { kind: 'external', ...base };
  }
}

function toWrite(p: Participant): ParticipantWrite | null {
  const optional = p.optional;
  if (p.crmId !== undefined) {
    if (p.kind === 'user') return { kind: 'user', userId: p.crmId, optional };
    if (p.kind === 'contact') return { kind: 'contact', contactId: p.crmId, optional };
    if (p.kind === 'resource') return { kind: 'resource', resourceId: p.crmId, optional };
  }
  // SPEC F4: anyone without a CRM id (an Outlook room, an outsider) is an external participant.
  if (p.email === undefined) return null;
  const name = p.name?.trim().slice(0, 255);
  return {
    kind: 'external',
    email: p.email,
    optional,
    ...(name && !UNSAFE_NAME.test(name) ? { name } : {}),
  };
}

/**
 * Participants to write. Someone with neither a CRM id nor an address cannot be named in the
 * CRM and is left out; duplicates (same id or address) are written once.
 */
export function participantsToApi(list: readonly Participant[]): ParticipantWrite[] {
  const seen = new Set<string>();
  const out: ParticipantWrite[] = [];
  for (const p of list) {
    const w = toWrite(p);
    if (w === null) continue;
    const key =
      w.kind === 'user'
        ? `u:${w.userId}`
        : w.kind === 'contact'
          ? `c:${w.contactId}`
          : w.kind === 'resource'
            ? `r:${w.resourceId}`
            : `e:${w.email.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(w);
  }
  return out;
}
