import { badRequest } from './errors';
import { evaluate } from './odata-eval';
import { parseFilter } from './odata-filter';
import type { ExtendedProperty } from './types';

/** Event properties that `$filter` accepts (paths into the serialized event, in UTC). */
const FILTERABLE = new Set([
  'id',
  'subject',
  'iCalUId',
  'transactionId',
  'type',
  'isAllDay',
  'isCancelled',
  'isOrganizer',
  'sensitivity',
  'showAs',
  'importance',
  'seriesMasterId',
  'createdDateTime',
  'lastModifiedDateTime',
  'start/dateTime',
  'end/dateTime',
  'organizer/emailAddress/address',
]);
const LAMBDA: Record<string, Set<string>> = {
  singleValueExtendedProperties: new Set(['id', 'value']),
  categories: new Set(['']),
};

export const SELECTABLE = new Set([
  'id',
  'createdDateTime',
  'lastModifiedDateTime',
  'changeKey',
  'categories',
  'transactionId',
  'originalStartTimeZone',
  'originalEndTimeZone',
  'iCalUId',
  'reminderMinutesBeforeStart',
  'isReminderOn',
  'hasAttachments',
  'subject',
  'bodyPreview',
  'importance',
  'sensitivity',
  'isAllDay',
  'isCancelled',
  'isOrganizer',
  'responseRequested',
  'seriesMasterId',
  'showAs',
  'type',
  'webLink',
  'onlineMeetingUrl',
  'isOnlineMeeting',
  'onlineMeetingProvider',
  'allowNewTimeProposals',
  'isDraft',
  'hideAttendees',
  'responseStatus',
  'body',
  'start',
  'end',
  'location',
  'locations',
  'recurrence',
  'attendees',
  'organizer',
  'onlineMeeting',
  'originalStart',
  'cancelledOccurrences',
]);

export type Query = Record<string, string | undefined>;

export interface ListOptions {
  select?: string[] | undefined;
  filter?: ((ev: Record<string, unknown>) => boolean) | undefined;
  expandExtended?: ((p: ExtendedProperty) => boolean) | undefined;
  top?: number | undefined;
  skip: number;
}

export function eventFilter(src: string): (ev: Record<string, unknown>) => boolean {
  const expr = parseFilter(src, (path, lambdaOf) => {
    if (lambdaOf !== undefined) return LAMBDA[lambdaOf]?.has(path.join('/')) ?? false;
    const joined = path.join('/');
    if (joined.endsWith('/*')) return joined.slice(0, -2) in LAMBDA;
    return FILTERABLE.has(joined);
  });
  return (ev) => evaluate(expr, ev);
}

export function parseSelect(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const keys = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const k of keys) {
    if (!SELECTABLE.has(k)) {
      throw badRequest(`Could not find a property named '${k}' on type 'microsoft.graph.event'.`);
    }
  }
  return keys;
}

/** `$expand=singleValueExtendedProperties($filter=id eq '…')` — the one expansion supported. */
export function parseExpand(value: string | undefined): ListOptions['expandExtended'] {
  if (value === undefined) return undefined;
  const m = /^\s*singleValueExtendedProperties\s*(?:\(\s*\$filter\s*=\s*(.+)\))?\s*$/i.exec(value);
  if (!m) throw badRequest(`Parsing OData Select and Expand failed: '${value}' is not supported.`);
  if (m[1] === undefined) return () => true;
  const expr = parseFilter(m[1], (path) => ['id', 'value'].includes(path.join('/')));
  return (p) => evaluate(expr, p);
}

function intParam(value: string | undefined, name: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > max)
    throw badRequest(`Invalid value '${value}' for ${name}.`);
  return Number(value);
}

export function parseListOptions(q: Query, opts: { eventQuery?: boolean } = {}): ListOptions {
  for (const k of ['$orderby', '$search', '$count']) {
    if (q[k] !== undefined)
      throw badRequest(`Query option '${k}' is not supported by the emulator.`);
  }
  if (opts.eventQuery === false) {
    for (const k of ['$select', '$filter', '$expand']) {
      if (q[k] !== undefined)
        throw badRequest(`Query option '${k}' is not supported by the emulator here.`);
    }
    return {
      top: intParam(q.$top, '$top', 1000),
      skip: intParam(q.$skip, '$skip', 1_000_000) ?? 0,
    };
  }
  return {
    select: parseSelect(q.$select),
    filter: q.$filter !== undefined ? eventFilter(q.$filter) : undefined,
    expandExtended: parseExpand(q.$expand),
    top: intParam(q.$top, '$top', 1000),
    skip: intParam(q.$skip, '$skip', 1_000_000) ?? 0,
  };
}
