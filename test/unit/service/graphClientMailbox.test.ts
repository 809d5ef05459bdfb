/**
 * @jest-environment node
 *
 * The Graph client's `mailbox` option (issue 17): the service's app-only token is refused on
 * `/me`, so every relative `/me…` path goes to `/users/{mailbox}…`; nothing else changes.
 */
import { GraphClient } from '../../../src/outlook/graphClient';
import { paths } from '../../../src/outlook/graphPaths';

const tokens = { getToken: async () => 'token' };
const base = 'https://graph.example/v1.0';

describe('GraphClient rooted at a mailbox', () => {
  const client = new GraphClient({ baseUrl: base, tokens, mailbox: 'anna@contoso.example' });

  it('sends /me paths to /users/{mailbox}, encoded', () => {
    expect(client.url(paths.me)).toBe(`${base}/users/anna%40contoso.example`);
    expect(client.url(paths.calendars)).toBe(`${base}/users/anna%40contoso.example/calendars`);
    expect(client.url('/me?$select=id')).toBe(`${base}/users/anna%40contoso.example?$select=id`);
    expect(client.url(paths.event('e/1'))).toBe(
      `${base}/users/anna%40contoso.example/events/e%2F1`,
    );
  });

  it('leaves other paths and Graph’s own absolute links alone', () => {
    expect(client.url('/subscriptions')).toBe(`${base}/subscriptions`);
    expect(client.url('/meetings')).toBe(`${base}/meetings`);
    const link = `${base}/users/anna%40contoso.example/calendarView/delta?$deltatoken=x`;
    expect(client.url(link)).toBe(link);
  });

  it('keeps the option through withTokens, and the pane’s client is unchanged', () => {
    expect(client.withTokens(tokens).url('/me/events')).toBe(
      `${base}/users/anna%40contoso.example/events`,
    );
    expect(new GraphClient({ baseUrl: base, tokens }).url('/me/events')).toBe(`${base}/me/events`);
  });
});
