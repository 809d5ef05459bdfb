/**
 * Issue 14, item 2: bounds that never throw — the series end bound over the whole range of
 * dates, the window test on corrupt times, HTML depth before html-to-text, and the planner's
 * isolation of an item it throws on (engine/planStep.ts).
 */
import { capDepth, htmlToText, MAX_DEPTH } from '../../../src/outlook/mapping/body';
import type { CalendarItem } from '../../../src/sync/core/model';
import { inWindow, seriesEndBound, timeIsValid } from '../../../src/sync/core/window';
import { planIsolated } from '../../../src/sync/engine/planStep';
import { at, crmActivity, item, NOW, outlookEvent, settings } from '../../support/planFixtures';

const zone = 'Europe/Helsinki';
const series = (rrule: string, start = '2026-11-25T07:00:00Z'): CalendarItem =>
  item({ ...at(start), recurrence: { rrule, exdates: [] } });

describe('seriesEndBound', () => {
  it('takes FREQ=YEARLY;INTERVAL=30;COUNT=9999 as endless instead of throwing RangeError', () => {
    expect(seriesEndBound(series('FREQ=YEARLY;INTERVAL=30;COUNT=9999'), zone)).toBeNull();
  });

  it.each([
    ['1900-01-01T09:00:00Z', 'FREQ=DAILY;COUNT=3', '1900-01-05T10:00:00Z'],
    ['9999-12-20T09:00:00Z', 'FREQ=DAILY;COUNT=3', '9999-12-24T10:00:00Z'],
  ])('bounds a series starting %s', (start, rrule, bound) => {
    expect(seriesEndBound(series(rrule, start), zone)).toBe(bound);
  });

  it('takes a bound past year 9999 as endless', () => {
    expect(seriesEndBound(series('FREQ=DAILY;COUNT=30', '9999-12-20T09:00:00Z'), zone)).toBeNull();
  });

  it('never throws on a start that is no instant', () => {
    const broken = series('FREQ=DAILY;COUNT=3');
    const bad = { ...broken, time: { ...broken.time, start: 'not-an-instant' } } as CalendarItem;
    expect(() => seriesEndBound(bad, zone)).not.toThrow();
    expect(timeIsValid(bad)).toBe(false);
    expect(inWindow(bad, { start: NOW, end: '2027-01-01T00:00:00Z' }, zone)).toBe(true);
  });

  it('calls 30 February no date', () => {
    const feb30 = item({
      time: { kind: 'allDay', startDate: '2027-02-30', endDate: '2027-02-31', timeZone: zone },
    });
    expect(timeIsValid(feb30)).toBe(false);
  });
});

describe('capDepth', () => {
  it('keeps the text of a body 20,000 levels deep, and html-to-text no longer overflows', () => {
    const deep = `${'<div>'.repeat(20_000)}bottom line${'</div>'.repeat(20_000)}<p>after</p>`;
    expect(htmlToText(deep)).toBe('bottom line\n\nafter');
  });

  it('leaves a body within the depth byte for byte', () => {
    const html = `<html><body>${'<div>'.repeat(MAX_DEPTH - 2)}x${'</div>'.repeat(MAX_DEPTH - 2)}<br/><img src="a"></body></html>`;
    expect(capDepth(html)).toBe(html);
  });

  it('drops only tags deeper than the cap', () => {
    expect(capDepth('<a><b><c>t</c></b></a>', 2)).toBe('<a><b>t</b></a>');
  });

  it('reads tags as the splice does: a comment or a script opens no level, a quoted ">" ends no tag', () => {
    const html =
      '<a><!-- <b><b> --><script>if (a<b) x = "<i><i>";</script><b title="1 > 0">t</b></a>';
    expect(capDepth(html, 2)).toBe(html);
    expect(capDepth('<a><b title="<c>">t</b></a>', 1)).toBe('<a>t</a>');
  });

  it('keeps the text of unclosed tags, quotes and comments, in one pass over the body', () => {
    expect(capDepth('<a><b>t</b></a><c title="unclosed', 1)).toBe('<a>t</a><c title="unclosed');
    // Each of these once made a scan start again at every '<' and read to the end: 100,000 of
    // them would take minutes. One pass reads them as one unclosed tag (or comment).
    for (const hostile of ['<p', '<p "', "<b '", '<!--', '</p']) {
      const body = hostile.repeat(100_000);
      expect(capDepth(body, 1)).toBe(body);
    }
  });
});

describe('planIsolated', () => {
  it('leaves out the one item the planner throws on and plans the rest', () => {
    const good = outlookEvent('o-good', item({ subject: 'Good' }));
    const bad = outlookEvent('o-bad', item({ subject: 'Bad' }));
    // A getter that throws as a RangeError from a bad date would, only for this item.
    Object.defineProperty(bad.item, 'time', {
      get() {
        throw new RangeError('Invalid time value');
      },
    });
    const input = {
      links: [],
      outlookChanged: [good, bad],
      outlookDeleted: [],
      crmChanged: [
        crmActivity('c-good', item({ subject: 'From the CRM', ...at('2026-11-26T07:00:00Z') })),
      ],
      crmDeleted: [],
      outlookIsFullListing: false,
      crmIsFullListing: false,
      typeChoices: {},
      now: NOW,
      massDeleteConfirmed: false,
    };
    const { result, unprocessable } = planIsolated(input, settings);
    expect(unprocessable).toEqual([{ side: 'outlook', id: 'o-bad' }]);
    expect(result.operations.map((op) => op.op).sort()).toEqual(['createInCrm', 'createInOutlook']);
  });
});
