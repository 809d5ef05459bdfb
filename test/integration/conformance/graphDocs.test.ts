/**
 * Conformance: the sample responses Microsoft documents for the Graph endpoints the adapter
 * reads (microsoftgraph/microsoft-graph-docs-contrib; each fixture in graph-docs/ names its page
 * and section), parsed through the adapter's own zod schemas and mappers — the real code, not a
 * copy. translateExchangeIds goes through the adapter's request over loopback HTTP.
 *
 * A fixture says whether the adapter must accept it (and map every entry) or refuse it cleanly
 * (documented samples that are placeholders without an id); `setAside` counts delta entries that
 * must be set aside on their own without failing the page (SPEC X1).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as z from 'zod';
import {
  calendarListSchema,
  calendarSchema,
  deltaPageSchema,
  eventPageSchema,
  eventSchema,
  removedSchema,
} from '../../../src/outlook/graphSchemas';
import {
  contactDeltaPageSchema,
  contactFolderPageSchema,
  graphContactSchema,
  removedContactSchema,
} from '../../../src/outlook/graphContactSchemas';
import { contactFromGraph } from '../../../src/outlook/graphOutlookContacts';
import { eventFromGraph } from '../../../src/outlook/mapping/fromGraph';
import { GraphClient } from '../../../src/outlook/graphClient';
import { immutableIdOf } from '../../../src/outlook/graphIds';
import { graphErrorCode, toSyncError } from '../../../src/outlook/graphErrors';

const DIR = join(__dirname, 'graph-docs');
const fixtureSchema = z.strictObject({
  source: z.string().regex(/^microsoftgraph\/microsoft-graph-docs-contrib: \S+\.md$/),
  section: z.string().min(1),
  reads: z.enum([
    'event',
    'eventPage',
    'deltaPage',
    'calendar',
    'calendarList',
    'translateExchangeIds',
    'contact',
    'contactFolderPage',
    'contactDeltaPage',
    'error',
  ]),
  status: z.number().int(),
  expect: z.enum(['accepted', 'rejected']),
  note: z.string().optional(),
  setAside: z.number().int().optional(),
  response: z.record(z.string(), z.unknown()),
});
type Fixture = z.infer<typeof fixtureSchema>;

const fixtures: [string, Fixture][] = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => [f, fixtureSchema.parse(JSON.parse(readFileSync(join(DIR, f), 'utf8')))]);

const ctx = { personZone: 'Europe/Helsinki' };

/** Maps one event through the adapter and checks what every event must come out with. */
function mapEvent(raw: unknown): void {
  const ev = eventSchema.parse(raw);
  const out = eventFromGraph(ev, ctx);
  expect(out.id).toBe(ev.id);
  expect(out.item.subject).toBe(ev.subject ?? '');
  const t = out.item.time;
  if (t.kind === 'timed') expect(Date.parse(t.end)).toBeGreaterThanOrEqual(Date.parse(t.start));
  if (ev.type === 'seriesMaster') expect(out.item.recurrence).not.toBeNull();
}

/** Delta entries one by one: an event, a removal, or set aside (unreadable on its own). */
function readEntries(
  value: unknown[],
  asItem: (raw: unknown) => void,
  removed: z.ZodType,
  item: z.ZodType,
): { read: number; removed: number; setAside: number } {
  const n = { read: 0, removed: 0, setAside: 0 };
  for (const raw of value) {
    if (removed.safeParse(raw).success) n.removed++;
    else if (item.safeParse(raw).success) {
      asItem(raw);
      n.read++;
    } else n.setAside++;
  }
  return n;
}

/** A loopback server answering every request with the documented body. */
async function serve(status: number, body: unknown): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1.0`, server };
}

describe('conformance: documented Graph responses through the adapter', () => {
  it('covers at least 20 documented responses, each naming its page', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
    for (const [, f] of fixtures) expect(f.source).toMatch(/\.md$/);
  });

  it.each(fixtures)('%s', async (_name, f) => {
    const body = f.response;
    const accept = f.expect === 'accepted';
    switch (f.reads) {
      case 'event': {
        if (!accept) {
          expect(eventSchema.safeParse(body).success).toBe(false);
          return;
        }
        mapEvent(body);
        return;
      }
      case 'eventPage': {
        const page = eventPageSchema.safeParse(body);
        expect(page.success).toBe(accept);
        if (page.success) for (const ev of page.data.value) mapEvent(ev);
        return;
      }
      case 'deltaPage': {
        const page = deltaPageSchema.parse(body);
        const n = readEntries(page.value, mapEvent, removedSchema, eventSchema);
        expect(n.setAside).toBe(f.setAside ?? 0);
        expect(n.read + n.removed + n.setAside).toBe(page.value.length);
        expect(Boolean(page['@odata.nextLink']) !== Boolean(page['@odata.deltaLink'])).toBe(true);
        return;
      }
      case 'calendar': {
        const cal = calendarSchema.parse(body);
        expect(cal.id).toBeTruthy();
        return;
      }
      case 'calendarList': {
        const list = calendarListSchema.parse(body);
        expect(list.value.length).toBeGreaterThan(0);
        return;
      }
      case 'translateExchangeIds': {
        const { url, server } = await serve(f.status, body);
        try {
          const client = new GraphClient({ baseUrl: url, tokens: { getToken: async () => 't' } });
          await expect(immutableIdOf(client, '{rest-formatted-id-1}')).resolves.toBe(
            '{rest-immutable-formatted-id-1}',
          );
        } finally {
          await new Promise<void>((r) => server.close(() => r()));
        }
        return;
      }
      case 'contact': {
        const c = graphContactSchema.parse(body);
        const out = contactFromGraph(c, null);
        expect(out.id).toBe(c.id);
        expect(out.item.email).toBe(c.emailAddresses?.[0]?.address ?? null);
        expect([out.item.firstName, out.item.lastName]).toEqual([c.givenName, c.surname]);
        return;
      }
      case 'contactFolderPage': {
        const page = contactFolderPageSchema.parse(body);
        expect(page.value.map((x) => x.displayName)).toContain('Contacts');
        return;
      }
      case 'error': {
        const code = graphErrorCode(body);
        expect(code).toBe('invalidRange');
        const err = toSyncError(f.status, body, { notFound: 'itemNotFound' });
        expect(err.message).toContain(code);
        expect(err.message).not.toContain('Uploaded fragment');
        return;
      }
      case 'contactDeltaPage': {
        const page = contactDeltaPageSchema.parse(body);
        const n = readEntries(
          page.value,
          (raw) => contactFromGraph(graphContactSchema.parse(raw), null),
          removedContactSchema,
          graphContactSchema,
        );
        expect(n.setAside).toBe(f.setAside ?? 0);
        return;
      }
    }
  });
});
