/**
 * Requests the reference CRM server must refuse with `application/problem+json` and a 4xx —
 * never a 500, never a crash (docs/crm-sync-api.yaml; sandbox/crm/schemas).
 */
import type { CorpusCase, Json } from './types';

const start = '2026-12-07T09:00:00Z';
const end = '2026-12-07T10:00:00Z';
const valid = { subject: 'Valid', start, end, timeZone: 'Europe/Helsinki', typeId: 'typ_meeting' };
const create = (
  id: string,
  title: string,
  patch: Record<string, Json>,
  status: number | number[],
) =>
  ({
    id,
    area: 'crmApi',
    title,
    request: {
      method: 'POST',
      path: '/activities',
      headers: { 'idempotency-key': `corpus-${id}` },
      body: { ...valid, ...patch },
    },
    expect: { kind: 'refused', status },
  }) as const;

export const cases: readonly CorpusCase[] = [
  create('api-empty-subject', 'an empty subject', { subject: '' }, 400),
  create('api-rlm-subject', 'a subject with an RLM mark', { subject: 'שלום\u200f' }, 400),
  create('api-markup-subject', 'a subject with <Q3>', { subject: '<Q3> plan' }, 400),
  create('api-nul-subject', 'a NUL in a subject', { subject: 'a\u0000b' }, 400),
  create('api-long-subject', 'a 256-character subject', { subject: 's'.repeat(256) }, 400),
  create('api-zero-length', 'end = start', { end: start }, [400, 422]),
  create('api-end-before-start', 'end before start', { end: '2026-12-07T08:00:00Z' }, [400, 422]),
  create('api-all-day-times', 'an all-day activity with date-times', { allDay: true }, [400, 422]),
  create(
    'api-too-many-participants',
    '501 participants',
    {
      participants: Array.from({ length: 501 }, (_, i) => ({
        kind: 'external',
        email: `p${i}@fabrikam.example`,
      })),
    },
    400,
  ),
  create(
    'api-bad-participant-email',
    'an external participant whose address is not one',
    { participants: [{ kind: 'external', email: 'not an address' }] },
    400,
  ),
  create(
    'api-participant-kind',
    'a participant of an unknown kind',
    { participants: [{ kind: 'robot', robotId: 'r2' }] },
    400,
  ),
  create('api-unknown-field', 'a member the contract does not have', { colour: 'red' }, 400),
  create('api-unknown-zone', 'a time zone that does not exist', { timeZone: 'Mars/Olympus' }, 400),
  create('api-feb-30', 'February 30th', { start: '2026-02-30T09:00:00Z' }, 400),
  create(
    'api-year-1800',
    'a year before the contract’s 1900',
    { start: '1800-01-01T09:00:00Z', end: '1800-01-01T10:00:00Z' },
    400,
  ),
  create('api-no-offset', 'a date-time without an offset', { start: '2026-12-07T09:00:00' }, 400),
  create('api-showas-unknown', 'showAs: "unknown"', { showAs: 'unknown' }, 400),
  create('api-reminder-negative', 'a negative reminder', { reminderMinutesBeforeStart: -1 }, 400),
  create(
    'api-reminder-huge',
    'a reminder of a billion minutes',
    { reminderMinutesBeforeStart: 1e9 },
    400,
  ),
  create(
    'api-reminder-fraction',
    'a reminder of 1.5 minutes',
    { reminderMinutesBeforeStart: 1.5 },
    400,
  ),
  create('api-description-nul', 'a NUL in a description', { description: 'ok\u0000not ok' }, 400),
  create(
    'api-description-long',
    'a description of 32,001 characters',
    { description: 'd'.repeat(32_001) },
    400,
  ),
  create(
    'api-rrule-secondly',
    'an RRULE with FREQ=SECONDLY',
    { recurrence: { rrule: 'FREQ=SECONDLY' } },
    [400, 422],
  ),
  create(
    'api-rrule-long',
    'an RRULE of 600 characters',
    { recurrence: { rrule: `FREQ=DAILY;BYMONTHDAY=${'1,'.repeat(299)}1` } },
    [400, 422],
  ),
  create(
    'api-override-key',
    'an occurrence override under a key that is no recurrence id',
    { recurrence: { rrule: 'FREQ=DAILY;COUNT=3', overrides: { tomorrow: { subject: 'x' } } } },
    400,
  ),
  create('api-unknown-type', 'an activity type that does not exist', { typeId: 'typ_nope' }, 422),
  create(
    'api-mailbox-mismatch',
    "an Outlook link to someone else's mailbox",
    { outlookLink: { mailbox: 'mallory@evil.example', eventId: 'AAMk1' } },
    422,
  ),
  create('api-subject-number', 'a subject that is a number', { subject: 42 }, 400),
  {
    id: 'api-malformed-json',
    area: 'crmApi',
    title: 'a body that is not JSON',
    request: {
      method: 'POST',
      path: '/activities',
      headers: { 'idempotency-key': 'corpus-malformed' },
      rawBody: '{"subject": "unterminated',
    },
    expect: { kind: 'refused', status: 400 },
  },
  {
    id: 'api-json-array',
    area: 'crmApi',
    title: 'a JSON array where an object belongs',
    request: {
      method: 'POST',
      path: '/activities',
      headers: { 'idempotency-key': 'corpus-array' },
      body: [valid],
    },
    expect: { kind: 'refused', status: 400 },
  },
  {
    id: 'api-json-null',
    area: 'crmApi',
    title: 'a JSON null body',
    request: {
      method: 'POST',
      path: '/activities',
      headers: { 'idempotency-key': 'corpus-null' },
      rawBody: 'null',
    },
    expect: { kind: 'refused', status: 400 },
  },
  {
    id: 'api-deep-json',
    area: 'crmApi',
    title: 'JSON nested 20,000 deep',
    request: {
      method: 'POST',
      path: '/activities',
      headers: { 'idempotency-key': 'corpus-deep' },
      rawBody: `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
    },
    expect: { kind: 'refused', status: 400 },
  },
  {
    id: 'api-text-plain',
    area: 'crmApi',
    title: 'a text/plain body',
    request: {
      method: 'POST',
      path: '/activities',
      headers: { 'content-type': 'text/plain', 'idempotency-key': 'corpus-plain' },
      rawBody: 'subject=hello',
    },
    expect: { kind: 'refused', status: 415 },
  },
  {
    id: 'api-body-too-large',
    area: 'crmApi',
    title: 'a body over the 256 KB limit',
    request: {
      method: 'POST',
      path: '/activities',
      headers: { 'idempotency-key': 'corpus-large' },
      body: { ...valid, description: 'x'.repeat(300_000) },
    },
    expect: { kind: 'refused', status: 413 },
  },
  {
    id: 'api-no-idempotency-key',
    area: 'crmApi',
    title: 'a create without an Idempotency-Key',
    request: { method: 'POST', path: '/activities', body: valid },
    expect: { kind: 'refused', status: [400, 428] },
  },
  {
    id: 'api-no-api-key',
    area: 'crmApi',
    title: 'no API key and no token',
    request: { method: 'GET', path: '/activities/changes', auth: false },
    expect: { kind: 'refused', status: 401 },
  },
  {
    id: 'api-bad-bearer',
    area: 'crmApi',
    title: 'a forged bearer token',
    request: {
      method: 'GET',
      path: '/activities/changes',
      headers: { authorization: 'Bearer forged.token.value' },
    },
    expect: { kind: 'refused', status: 401 },
  },
  {
    id: 'api-bad-cursor',
    area: 'crmApi',
    title: 'a change-feed cursor that was never issued',
    request: { method: 'GET', path: '/activities/changes?cursor=%00%FF-not-a-cursor' },
    expect: { kind: 'refused', status: [400, 410] },
  },
  {
    id: 'api-bad-range',
    area: 'crmApi',
    title: 'a list range that is not dates',
    request: { method: 'GET', path: '/activities?from=yesterday&to=tomorrow' },
    expect: { kind: 'refused', status: 400 },
  },
  {
    id: 'api-id-traversal',
    area: 'crmApi',
    title: 'an activity id that tries to leave its path',
    request: { method: 'GET', path: '/activities/..%2F..%2Fsessions' },
    expect: { kind: 'refused', status: [400, 404] },
  },
  {
    id: 'api-id-too-long',
    area: 'crmApi',
    title: 'an activity id of 5,000 characters',
    request: { method: 'GET', path: `/activities/${'a'.repeat(5000)}` },
    expect: { kind: 'refused', status: [400, 404, 414] },
  },
  {
    id: 'api-patch-no-if-match',
    area: 'crmApi',
    title: 'a PATCH without If-Match',
    request: { method: 'PATCH', path: '/activities/{activityId}', body: { subject: 'x' } },
    expect: { kind: 'refused', status: [400, 428] },
  },
  {
    id: 'api-patch-stale-if-match',
    area: 'crmApi',
    title: 'a PATCH with an If-Match that is not the current version',
    request: {
      method: 'PATCH',
      path: '/activities/{activityId}',
      headers: { 'if-match': '"stale"' },
      body: { subject: 'x' },
    },
    expect: { kind: 'refused', status: 412 },
  },
  {
    id: 'api-patch-markup',
    area: 'crmApi',
    title: 'a PATCH that writes markup into the subject',
    request: {
      method: 'PATCH',
      path: '/activities/{activityId}',
      headers: { 'if-match': '"any"' },
      body: { subject: '<img src=x onerror=alert(1)>' },
    },
    expect: { kind: 'refused', status: [400, 412] },
  },
  {
    id: 'api-sign-in-huge-username',
    area: 'crmApi',
    title: 'a sign-in with a 10,000-character user name',
    request: {
      method: 'POST',
      path: '/sessions',
      auth: false,
      headers: { 'x-api-key': 'demo' },
      body: { username: 'u'.repeat(10_000), password: 'x' },
    },
    expect: { kind: 'refused', status: [400, 401] },
  },
];
