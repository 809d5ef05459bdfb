import type { z } from 'zod';
import { GraphError } from './errors';

/**
 * Read-only event properties a client may echo back from a GET. Graph ignores them on write;
 * anything else unknown is a 400 (RequestBodyRead).
 */
const READ_ONLY = new Set([
  'id',
  'changeKey',
  'createdDateTime',
  'lastModifiedDateTime',
  'iCalUId',
  'uid',
  'webLink',
  'type',
  'seriesMasterId',
  'originalStart',
  'bodyPreview',
  'hasAttachments',
  'isOrganizer',
  'isCancelled',
  'isDraft',
  'responseStatus',
  'onlineMeeting',
  'onlineMeetingUrl',
  'onlineMeetingProvider',
  'cancelledOccurrences',
]);

/** Graph type names for error messages, by the first segment of the issue path. */
const TYPE_BY_PATH: Record<string, string> = {
  start: 'dateTimeTimeZone',
  end: 'dateTimeTimeZone',
  body: 'itemBody',
  location: 'location',
  locations: 'location',
  attendees: 'attendee',
  organizer: 'recipient',
  recurrence: 'patternedRecurrence',
  singleValueExtendedProperties: 'singleValueLegacyExtendedProperty',
};

function stripAnnotations(value: unknown, topLevel: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => stripAnnotations(v, false));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith('@odata.')) continue;
    if (topLevel && READ_ONLY.has(k)) continue;
    out[k] = stripAnnotations(v, false);
  }
  return out;
}

function typeName(path: PropertyKey[], rootType: string): string {
  const first = path.find((p) => typeof p === 'string');
  if (first === undefined) return rootType;
  if (path.includes('pattern')) return 'recurrencePattern';
  if (path.includes('range')) return 'recurrenceRange';
  if (path.includes('emailAddress')) return 'emailAddress';
  return TYPE_BY_PATH[String(first)] ?? rootType;
}

/** Parses a JSON body with a strict zod schema and answers Graph-style 400s. */
export function parseBody<S extends z.ZodType>(
  schema: S,
  body: unknown,
  rootType: string,
  opts: { stripReadOnly?: boolean } = {},
): z.infer<S> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new GraphError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  }
  const result = schema.safeParse(stripAnnotations(body, opts.stripReadOnly ?? false));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new GraphError(400, 'RequestBodyRead', 'Invalid request body.');
  if (issue.code === 'unrecognized_keys') {
    const type = typeName([...issue.path, 'x'], rootType);
    const nested = issue.path.length > 0 ? type : rootType;
    throw new GraphError(
      400,
      'RequestBodyRead',
      `The property '${issue.keys[0] ?? ''}' does not exist on type 'microsoft.graph.${nested}'. ` +
        'Make sure to only use property names that are defined by the type or mark the type as open type.',
    );
  }
  const where = issue.path.map(String).join('/') || '(body)';
  throw new GraphError(400, 'RequestBodyRead', `Invalid value for '${where}': ${issue.message}`);
}
