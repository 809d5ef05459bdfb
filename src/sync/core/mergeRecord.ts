/**
 * The per-field 3-way merge over plain records, for item kinds whose fields are flat values
 * (contacts, SPEC K2). The rules are the calendar's (merge.ts): each side has its own base, a
 * departure from it is that side's edit, one side edited → the other takes it, both edited
 * differently → the conflict policy picks and the loser's value is returned for the trash (D4).
 * The calendar's merge.ts runs this too, for every field but the series, which it merges
 * occurrence by occurrence.
 */
import { stableStringify } from './hash';
import type { ConflictPolicy, Side } from './merge';
import type { Instant } from './model';

/** The merge's input: the fields to merge, each side's base and value, and who wins a conflict. */
export interface RecordMergeInput<R, F extends keyof R & string = keyof R & string> {
  readonly fields: readonly F[];
  readonly outlookBase: R;
  readonly crmBase: R;
  readonly outlook: R;
  readonly crm: R;
  readonly outlookModified: Instant;
  readonly crmModified: Instant;
  readonly policy: ConflictPolicy;
}

export interface RecordLost<R, F extends keyof R = keyof R> {
  readonly field: F;
  /** The side whose value was overwritten. */
  readonly side: Side;
  readonly value: R[F];
}

export interface RecordMergeResult<R, F extends keyof R & string = keyof R & string> {
  /** Fields whose Outlook value the CRM must take. */
  readonly toCrm: readonly F[];
  /** Fields whose CRM value Outlook must take. */
  readonly toOutlook: readonly F[];
  /** Fields both sides already hold alike while a base differs: the bases move, nothing is written. */
  readonly agreed: readonly F[];
  readonly lost: readonly RecordLost<R, F>[];
}

/** Newest-wins compares the sides' modification instants; a tie goes to Outlook (merge.ts). */
export function conflictWinner(
  policy: ConflictPolicy,
  outlookModified: Instant,
  crmModified: Instant,
): Side {
  if (policy === 'outlook-wins') return 'outlook';
  if (policy === 'crm-wins') return 'crm';
  return crmModified > outlookModified ? 'crm' : 'outlook';
}

export function mergeRecord<R extends object, F extends keyof R & string = keyof R & string>(
  input: RecordMergeInput<R, F>,
): RecordMergeResult<R, F> {
  const toCrm: F[] = [];
  const toOutlook: F[] = [];
  const agreed: F[] = [];
  const lost: RecordLost<R, F>[] = [];
  const winner = conflictWinner(input.policy, input.outlookModified, input.crmModified);
  for (const field of input.fields) {
    const value = (r: R) => stableStringify(r[field]);
    const o = value(input.outlook);
    const c = value(input.crm);
    const outlookEdited = o !== value(input.outlookBase);
    const crmEdited = c !== value(input.crmBase);
    if (o === c) {
      if (outlookEdited || crmEdited) agreed.push(field);
      continue;
    }
    // Neither edited: each side holds the field its own way (two bases), nothing to do.
    if (!outlookEdited && !crmEdited) continue;
    if (outlookEdited && !crmEdited) toCrm.push(field);
    else if (crmEdited && !outlookEdited) toOutlook.push(field);
    else if (winner === 'outlook') {
      // Both edited differently: the policy picks.
      toCrm.push(field);
      lost.push({ field, side: 'crm', value: input.crm[field] });
    } else {
      toOutlook.push(field);
      lost.push({ field, side: 'outlook', value: input.outlook[field] });
    }
  }
  return { toCrm, toOutlook, agreed, lost };
}
