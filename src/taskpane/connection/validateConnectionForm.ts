import { normaliseCrmAddress } from '../../crm/address';
import { SyncError } from '../../sync/core/errors';

/** The form's typed fields (the mailbox comes from the host and the checkbox cannot be wrong). */
export interface ConnectionFormValues {
  readonly apiKey: string;
  readonly address: string;
  readonly username: string;
  readonly password: string;
}

export type FieldName = keyof ConnectionFormValues;
export const fieldOrder: readonly FieldName[] = ['apiKey', 'address', 'username', 'password'];

/**
 * The longest value each field takes (issue 14: a huge paste is refused here with its limit,
 * not sent): the contract's 254 and 200 for the user name and password (docs/crm-sync-api.yaml,
 * POST /sessions), a generous 2,048 for an address and 200 for a key.
 */
export const fieldMaxLength: Readonly<Record<FieldName, number>> = {
  apiKey: 200,
  address: 2048,
  username: 254,
  password: 200,
};

/** Why a field is wrong: empty, too long, or the address check's own error (its code has a message). */
export type FieldProblem =
  | { readonly kind: 'required' }
  | { readonly kind: 'tooLong'; readonly max: number }
  /** The API key travels in an HTTP header: printable ASCII only, or fetch throws. */
  | { readonly kind: 'invalidKey' }
  | { readonly kind: 'address'; error: SyncError };
export type FieldProblems = Partial<Record<FieldName, FieldProblem>>;

/** SPEC C2: every field is checked here before anything goes over the network. */
export function validateConnectionForm(values: ConnectionFormValues): FieldProblems {
  const problems: FieldProblems = {};
  for (const field of fieldOrder) {
    // Passwords may legitimately start or end with spaces; the other fields may not.
    const value = field === 'password' ? values[field] : values[field].trim();
    if (value === '') problems[field] = { kind: 'required' };
    else if (value.length > fieldMaxLength[field]) {
      problems[field] = { kind: 'tooLong', max: fieldMaxLength[field] };
    } else if (field === 'apiKey' && !/^[\x21-\x7e]+$/.test(value)) {
      problems[field] = { kind: 'invalidKey' };
    }
  }
  if (!problems.address) {
    try {
      normaliseCrmAddress(values.address);
    } catch (error) {
      if (!(error instanceof SyncError)) throw error;
      problems.address = { kind: 'address', error };
    }
  }
  return problems;
}
