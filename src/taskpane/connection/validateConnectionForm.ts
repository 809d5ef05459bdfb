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

/** Why a field is wrong: empty, or the address check's own error (its code has a message). */
export type FieldProblem =
  { readonly kind: 'required' } | { readonly kind: 'address'; error: SyncError };
export type FieldProblems = Partial<Record<FieldName, FieldProblem>>;

/** SPEC C2: every field is checked here before anything goes over the network. */
export function validateConnectionForm(values: ConnectionFormValues): FieldProblems {
  const problems: FieldProblems = {};
  for (const field of fieldOrder) {
    // Passwords may legitimately start or end with spaces; the other fields may not.
    const value = field === 'password' ? values[field] : values[field].trim();
    if (value === '') problems[field] = { kind: 'required' };
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
