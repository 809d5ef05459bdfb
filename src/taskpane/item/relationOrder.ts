/**
 * SPEC O1 "show the customer's relations by default": with the option on and a customer set, the
 * project and sales case searches list that customer's own first, then the rest.
 */
import type { RelationOption } from '../../crm';

export interface OrderedRelations {
  /** The customer's own, when they come first; else empty. */
  readonly own: readonly RelationOption[];
  readonly others: readonly RelationOption[];
}

export function orderRelations(
  all: readonly RelationOption[],
  customerId: string | null,
  customerFirst: boolean,
): OrderedRelations {
  if (!customerFirst || customerId === null) return { own: [], others: all };
  return {
    own: all.filter((r) => r.customerId === customerId),
    others: all.filter((r) => r.customerId !== customerId),
  };
}
