/**
 * docs/crm-sync-api.yaml states the limits a vendor must keep (issue 14). This holds each number
 * the prose states against what the document's schemas and the server itself enforce, so the
 * paragraph cannot drift from the contract it summarises.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { BODY_LIMIT_BYTES } from '../../../sandbox/crm/app';
import { parseRrule } from '../../../sandbox/crm/domain/rrule';
import { OPENAPI_PATH } from '../../../sandbox/crm/openapiDocument';

interface Schema {
  maxLength?: number;
  maxItems?: number;
  maximum?: number;
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
}
interface Doc {
  info: { description: string };
  components: { schemas: Record<string, Schema> };
  paths: Record<string, Record<string, { parameters?: Array<{ name: string; schema: Schema }> }>>;
}

const doc = parse(readFileSync(resolve(__dirname, '../../..', OPENAPI_PATH), 'utf8')) as Doc;
const prose = doc.info.description.replace(/\s+/g, ' ');
const prop = (schema: string, name: string): Schema => {
  const found = doc.components.schemas[schema]?.properties?.[name];
  if (!found) throw new Error(`${schema}.${name} is not in the document`);
  return found;
};
const limitOf = (path: string): number | undefined =>
  doc.paths[path]?.get?.parameters?.find((p) => p.name === 'limit')?.schema.maximum;

describe('the limits docs/crm-sync-api.yaml states', () => {
  it('states the limits, the sign-in rate limit and the sharing rule', () => {
    expect(prose).toContain('**Limits a vendor must keep.**');
    expect(prose).toContain('**Rate limits.**');
    expect(prose).toContain('429 `too-many-sign-in-attempts` with `Retry-After`');
    expect(prose).toContain('**Sharing rule.**');
    expect(prose).toContain('403 `not-a-project-member`');
  });

  it('body size: 256 KiB, as the server enforces', () => {
    expect(prose).toContain('Request bodies: at most 256 KiB');
    expect(BODY_LIMIT_BYTES).toBe(256 * 1024);
  });

  it('page sizes: 1–500 on every paged list it names', () => {
    expect(prose).toContain('take `limit` 1–500');
    for (const path of ['/activities/changes', '/contacts/changes', '/contacts']) {
      expect([path, limitOf(path)]).toEqual([path, 500]);
    }
  });

  it('text, reminder and attendee cap match the activity schema', () => {
    expect(prose).toContain('subject and location at most 255 characters');
    expect(prose).toContain('descriptions at most 32,000');
    expect(prose).toContain('at most 500 participants per activity');
    expect(prose).toContain('reminders at most 40,320 minutes');
    expect(prop('ActivityCreate', 'subject').maxLength).toBe(255);
    expect(prop('ActivityCreate', 'location').anyOf?.[0]?.maxLength).toBe(255);
    expect(prop('ActivityCreate', 'description').maxLength).toBe(32_000);
    expect(prop('ActivityCreate', 'participants').maxItems).toBe(500);
    expect(prop('ActivityCreate', 'reminderMinutesBeforeStart').anyOf?.[0]?.maximum).toBe(40_320);
  });

  it('recurrence bounds match what the server accepts and refuses', () => {
    expect(prose).toContain('an RRULE of at most 500 characters, INTERVAL 1–999, COUNT 1–9,999');
    expect(prose).toContain('at most 500 EXDATEs');
    expect(prop('RecurrenceInput', 'rrule').maxLength).toBe(500);
    expect(prop('RecurrenceInput', 'exdates').maxItems).toBe(500);
    expect(typeof parseRrule('FREQ=DAILY;INTERVAL=999')).toBe('object');
    expect(typeof parseRrule('FREQ=DAILY;INTERVAL=1000')).toBe('string');
    expect(typeof parseRrule('FREQ=YEARLY;INTERVAL=30;COUNT=9999')).toBe('object');
    expect(typeof parseRrule('FREQ=DAILY;COUNT=10000')).toBe('string');
  });
});
