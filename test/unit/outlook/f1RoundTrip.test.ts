import { itemFromGraph } from '../../../src/outlook/mapping/fromGraph';
import { itemToGraph } from '../../../src/outlook/mapping/toGraph';
import type { ItemTime } from '../../../src/sync/core/model';
import { times, timed, variants } from './f1Cases';
import { sampleItem } from '../../contract/outlookCalendar.contract';
import { graphEcho } from './graphEcho';

/**
 * SPEC F1: subject, start and end with their zone, all-day, location, description, reminder,
 * private, show-as survive CalendarItem → Graph → CalendarItem, whatever zone name Graph answers.
 */
describe('SPEC F1 round trip CalendarItem → Graph → CalendarItem', () => {
  const cases = times.flatMap(([t, time]) =>
    variants.map(([v, over]) => [`${t} / ${v}`, { ...sampleItem(over), time }] as const),
  );

  // Issue 12, item 4: the zone goes out under its Windows name (Graph's documented list), so
  // the IANA name comes back as the person's own zone among that Windows zone's candidates.
  it.each(cases)('%s (Graph echoes the zone name it was sent)', (_label, item) => {
    const sent = itemToGraph(item);
    expect(sent.start.timeZone).not.toContain('/');
    expect(itemFromGraph(graphEcho(sent, 'iana'), { personZone: item.time.timeZone })).toEqual(
      item,
    );
  });

  it.each(times)(
    '%s (Graph answers a Windows zone name; the person lives there)',
    (_label, time) => {
      const item = { ...sampleItem(), time };
      const back = itemFromGraph(graphEcho(itemToGraph(item), 'windows'), {
        personZone: time.timeZone,
      });
      expect(back).toEqual(item);
    },
  );

  it('a Windows zone maps to a current IANA name when the person lives elsewhere', () => {
    const item = { ...sampleItem(), time: times[7]?.[1] as ItemTime };
    const back = itemFromGraph(graphEcho(itemToGraph(item), 'windows'), {
      personZone: 'Europe/Helsinki',
    });
    expect(back.time.timeZone).toBe('Asia/Kolkata'); // not CLDR's Asia/Calcutta
  });

  it('known limit: the second pass of a repeated hour reads back as the first', () => {
    // Graph's dateTimeTimeZone is a wall clock and a zone, without an offset: 03:00 on the day
    // Helsinki falls back names two instants, and Outlook (like us) takes the earlier one.
    const time = timed('2026-10-25T00:30:00Z', '2026-10-25T01:00:00Z', 'Europe/Helsinki');
    const back = itemFromGraph(graphEcho(itemToGraph({ ...sampleItem(), time }), 'iana'), {
      personZone: 'Europe/Helsinki',
    });
    expect(back.time).toEqual({ ...time, end: '2026-10-25T00:00:00Z' });
  });

  it('hostile text never reaches Outlook as markup', () => {
    const out = itemToGraph(
      sampleItem({ description: '<img src=x onerror=alert(1)><script>x()</script>' }),
    );
    expect(out.body.content).not.toMatch(/<(img|script)/i);
    expect(out.body.content).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
