/**
 * The Preferences form's values while the person edits them: day counts as typed (so "61" or ""
 * can be shown with its message), everything else as it will be saved. `checkDraft` turns a draft
 * into Preferences or says, per field, what is wrong (SPEC W1, W2 limits).
 */
import { limits, type DirectionPreferences, type Preferences } from './preferences';

export type Direction = 'outlookToCrm' | 'crmToOutlook';
export const directions: readonly Direction[] = ['outlookToCrm', 'crmToOutlook'];
export type DayField = 'daysBack' | 'daysAhead';

export interface DirectionDraft extends Omit<DirectionPreferences, DayField> {
  readonly daysBack: string;
  readonly daysAhead: string;
}

export interface PreferencesDraft extends Omit<Preferences, Direction> {
  readonly outlookToCrm: DirectionDraft;
  readonly crmToOutlook: DirectionDraft;
}

/** What is wrong with a day count; the form shows one message per kind, with the limits. */
export type DayProblem =
  | { readonly kind: 'required' }
  | { readonly kind: 'notWhole' }
  | { readonly kind: 'outOfRange'; readonly min: number; readonly max: number };

export type DraftProblems = Partial<Record<`${Direction}.${DayField}`, DayProblem>>;

export type DraftCheck =
  | { readonly kind: 'valid'; readonly preferences: Preferences }
  | { readonly kind: 'invalid'; readonly problems: DraftProblems };

export function toDraft(preferences: Preferences): PreferencesDraft {
  const direction = (d: DirectionPreferences): DirectionDraft => ({
    ...d,
    daysBack: String(d.daysBack),
    daysAhead: String(d.daysAhead),
  });
  return {
    ...preferences,
    outlookToCrm: direction(preferences.outlookToCrm),
    crmToOutlook: direction(preferences.crmToOutlook),
  };
}

/** A day count as typed: a whole number within the field's limits (SPEC W1: 0–60, W2: 0–365). */
export function checkDays(text: string, field: DayField): number | DayProblem {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'required' };
  if (!/^\d+$/.test(trimmed)) return { kind: 'notWhole' };
  const value = Number(trimmed);
  const { min, max } = limits[field];
  return value < min || value > max ? { kind: 'outOfRange', min, max } : value;
}

export function checkDraft(draft: PreferencesDraft): DraftCheck {
  const problems: DraftProblems = {};
  const direction = (which: Direction): DirectionPreferences => {
    const d = draft[which];
    const days = (field: DayField): number => {
      const checked = checkDays(d[field], field);
      if (typeof checked === 'number') return checked;
      problems[`${which}.${field}`] = checked;
      return 0;
    };
    return {
      daysBack: days('daysBack'),
      daysAhead: days('daysAhead'),
      createTypes: d.createTypes,
      editTypes: d.editTypes,
    };
  };
  const preferences: Preferences = {
    ...draft,
    outlookToCrm: direction('outlookToCrm'),
    crmToOutlook: direction('crmToOutlook'),
  };
  return Object.keys(problems).length > 0
    ? { kind: 'invalid', problems }
    : { kind: 'valid', preferences };
}
