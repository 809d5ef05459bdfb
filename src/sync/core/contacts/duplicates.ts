/**
 * SPEC K3 (with M3): the duplicate finder for contacts. Two contacts are duplicates when they
 * have the same e-mail address (case-insensitive), or the same name and company (whitespace and
 * case aside). Groups are the connected sets of that relation: A = B by e-mail and B = C by name
 * and company puts all three in one group for the person to keep one or merge.
 */
import { CONTACT_FIELDS, normaliseContact, type ContactItem } from './model';

export interface DuplicateCandidate {
  readonly id: string;
  readonly item: ContactItem;
  /** The company: the CRM contact's customer. */
  readonly company: string | null;
}

export interface DuplicateGroup {
  /** The members, in the order given. */
  readonly ids: readonly string[];
  /** Why: the keys that joined them ('email', 'nameAndCompany'). */
  readonly reasons: readonly ('email' | 'nameAndCompany')[];
}

const fold = (s: string) => s.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();

export function findDuplicates(candidates: readonly DuplicateCandidate[]): DuplicateGroup[] {
  const parent = candidates.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const reasons = new Map<number, Set<'email' | 'nameAndCompany'>>();
  const firstByKey = new Map<string, number>();
  const join = (key: string, i: number, reason: 'email' | 'nameAndCompany') => {
    const j = firstByKey.get(key);
    if (j === undefined) return void firstByKey.set(key, i);
    const [a, b] = [root(i), root(j)];
    const merged = new Set([...(reasons.get(a) ?? []), ...(reasons.get(b) ?? []), reason]);
    parent[a] = b;
    reasons.set(b, merged);
  };
  candidates.forEach((c, i) => {
    const item = normaliseContact(c.item);
    if (item.email) join(`e:${fold(item.email)}`, i, 'email');
    const name = fold(`${item.firstName} ${item.lastName}`);
    const company = c.company === null ? '' : fold(c.company);
    if (name && company) join(`n:${name}\u0000${company}`, i, 'nameAndCompany');
  });
  const groups = new Map<number, number[]>();
  candidates.forEach((_, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), i]));
  return [...groups.entries()]
    .filter(([, members]) => members.length > 1)
    .map(([r, members]) => ({
      ids: members.map((i) => candidates[i]!.id),
      reasons: [...(reasons.get(r) ?? [])].sort(),
    }));
}

/**
 * K3 "merge": the kept contact with each empty field filled from the others, in their order.
 * A field the kept one has is never overwritten.
 */
export function mergeInto(keep: ContactItem, others: readonly ContactItem[]): ContactItem {
  const out: Record<string, string | null> = { ...normaliseContact(keep) };
  for (const other of others.map(normaliseContact)) {
    for (const field of CONTACT_FIELDS) {
      if (!out[field] && other[field]) out[field] = other[field];
    }
  }
  return out as unknown as ContactItem;
}
