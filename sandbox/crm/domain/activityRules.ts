/**
 * Business rules on activity writes: normalisation, the checks a JSON Schema cannot express
 * (422), and who may do what (only the owner changes an activity, SPEC F3).
 */
import type { Db } from '../db/open';
import { forbidden, type FieldError, unprocessable } from '../http/problem';
import { type ActivityCreate, type ActivityPatch, timingError } from '../schemas/activity';
import { toUtcString } from '../schemas/time';
import type { ActivityData, ActivityRecord } from './activityStore';
import { referenceErrors } from './activityView';
import { parseRrule, untilFormError } from './rrule';

const normalise = (value: string, allDay: boolean) =>
  allDay ? value : toUtcString(Date.parse(value));

function normaliseTimes(d: ActivityData): ActivityData {
  const overrides = d.recurrence?.overrides ?? {};
  const fixed = Object.fromEntries(
    Object.entries(overrides).map(([id, o]) => [
      id,
      {
        ...o,
        ...(o.start !== undefined ? { start: normalise(o.start, d.allDay) } : {}),
        ...(o.end !== undefined ? { end: normalise(o.end, d.allDay) } : {}),
      },
    ]),
  );
  return {
    ...d,
    start: normalise(d.start, d.allDay),
    end: normalise(d.end, d.allDay),
    recurrence: d.recurrence && { ...d.recurrence, overrides: fixed },
  };
}

export function newActivityData(input: ActivityCreate, userId: string): ActivityData {
  const { outlookLink, ...fields } = input;
  const outlookLinks = outlookLink
    ? [{ userId, mailbox: outlookLink.mailbox.toLowerCase(), eventId: outlookLink.eventId }]
    : [];
  return { ...fields, cancelled: false, outlookLinks };
}

export function patchedData(current: ActivityData, patch: ActivityPatch): ActivityData {
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  return { ...current, ...defined };
}

function timingErrors(d: ActivityData): FieldError[] {
  const errors: FieldError[] = [];
  const main = timingError(d);
  if (main) errors.push({ in: 'body', path: '/end', message: main });
  // Checked on the whole activity, not the rule alone: a PATCH may change `allDay` only.
  const rule = d.recurrence ? parseRrule(d.recurrence.rrule) : null;
  const until = rule && typeof rule !== 'string' ? untilFormError(rule, d.allDay) : null;
  if (until) errors.push({ in: 'body', path: '/recurrence/rrule', message: until });
  for (const [id, o] of Object.entries(d.recurrence?.overrides ?? {})) {
    const start = o.start ?? d.start;
    const end = o.end ?? d.end;
    const message = timingError({ allDay: d.allDay, start, end });
    if (message) {
      errors.push({ in: 'body', path: `/recurrence/overrides/${id}`, message });
    }
  }
  return errors;
}

/** Validates and normalises a complete activity; throws 422 listing every problem. */
export function checkedData(db: Db, companyId: string, d: ActivityData): ActivityData {
  const errors = [...timingErrors(d), ...referenceErrors(db, companyId, d)];
  if (errors.length > 0) {
    throw unprocessable('invalid-activity', 'The activity is not valid.', errors);
  }
  return normaliseTimes(d);
}

export function requireOwner(rec: ActivityRecord, userId: string, action: string): void {
  if (rec.ownerId !== userId) {
    throw forbidden('not-owner', `Only the owner of the activity may ${action} it.`);
  }
}
