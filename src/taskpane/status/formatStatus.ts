/** Words for what the Status view lists: times, trashed values, failure reasons. */
import type { TFunction } from 'i18next';
import type { LostValue } from '../../sync/core/merge';
import type { ErrorCode } from '../../sync/core/errors';
import { errorKindOf } from '../../sync/core/errors';

export function formatInstant(iso: string, language: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'short' }).format(ms);
}

function formatDate(date: string, language: string): string {
  const ms = Date.parse(`${date}T12:00:00Z`);
  if (Number.isNaN(ms)) return date;
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(ms);
}

/** An item's start as lists show it: date and time, or the date of an all-day item. */
export function formatStart(start: string, language: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(start)
    ? formatDate(start, language)
    : formatInstant(start, language);
}

const MAX_TEXT = 120;

function showAsText(value: unknown, t: TFunction): string {
  switch (value) {
    case 'free':
      return t('status.showAs.free');
    case 'tentative':
      return t('status.showAs.tentative');
    case 'busy':
      return t('status.showAs.busy');
    case 'oof':
      return t('status.showAs.oof');
    case 'workingElsewhere':
      return t('status.showAs.workingElsewhere');
    default:
      return t('status.values.changed');
  }
}

/** A trashed value as a person reads it; long texts are cut, nothing is interpreted as markup. */
export function formatLostValue(lost: LostValue, t: TFunction, language: string): string {
  const v = lost.value;
  switch (lost.field) {
    case 'subject':
    case 'location':
    case 'description': {
      const text = typeof v === 'string' ? v.trim() : '';
      if (text === '') return t('status.values.empty');
      return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
    }
    case 'time': {
      if (v === null || typeof v !== 'object' || !('kind' in v)) return t('status.values.changed');
      if (v.kind === 'timed') {
        return `${formatInstant(v.start, language)} – ${formatInstant(v.end, language)}`;
      }
      if (v.kind === 'allDay')
        return t('status.values.allDay', { date: formatDate(v.startDate, language) });
      return t('status.values.changed');
    }
    case 'isPrivate':
    case 'isCancelled':
      return v === true ? t('status.values.yes') : t('status.values.no');
    case 'showAs':
      return showAsText(v, t);
    case 'reminderMinutes':
      return typeof v === 'number'
        ? t('status.values.minutes', { count: v })
        : t('status.values.noReminder');
    case 'participants':
      return Array.isArray(v)
        ? t('status.values.participants', { count: v.length })
        : t('status.values.changed');
    case 'recurrence':
      return v === null ? t('status.values.noRecurrence') : t('status.values.recurrence');
  }
}

function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(errorKindOf, code);
}

/** Why an item failed, in the pane's words (the codes are SyncError codes, SPEC E3). */
export function failureReason(code: string, t: TFunction): string {
  const translate = t as unknown as (key: string) => string;
  return isErrorCode(code)
    ? translate(`errors.${code}.message`)
    : translate('errors.unknown.message');
}
