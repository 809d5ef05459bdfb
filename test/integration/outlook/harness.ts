import { startGraphServer } from '../../../sandbox/graph/index';
import { SandboxTokenProvider } from '../../../src/outlook/auth/sandboxTokenProvider';
import { GraphClient, type GraphClientOptions } from '../../../src/outlook/graphClient';
import { GraphOutlookCalendar } from '../../../src/outlook/graphOutlookCalendar';

export const MAILBOX = 'anna@contoso.example';

export interface AdapterHarness {
  server: Awaited<ReturnType<typeof startGraphServer>>;
  client: GraphClient;
  calendar: GraphOutlookCalendar;
  calendarId: string;
  /** Sleeps the client asked for, in ms (the injected sleep waits 1 ms instead). */
  sleeps: number[];
  close(): Promise<void>;
}

/** The real adapter over HTTP against a fresh emulator (no demo data) on a free port. */
export async function startAdapter(
  overrides: Partial<Omit<GraphClientOptions, 'baseUrl' | 'tokens'>> = {},
): Promise<AdapterHarness> {
  const server = await startGraphServer({ port: 0, seedDemoData: false });
  const sleeps: number[] = [];
  const client = new GraphClient({
    baseUrl: `${server.url}/v1.0`,
    tokens: new SandboxTokenProvider({
      tokenUrl: `${server.url}/sandbox/token`,
      mailbox: () => MAILBOX,
    }),
    sleep: async (ms) => {
      sleeps.push(ms);
      await new Promise((r) => setTimeout(r, 1));
    },
    random: () => 0.5,
    ...overrides,
  });
  const calendar = new GraphOutlookCalendar({ client, personZone: 'Europe/Helsinki' });
  const calendars = await calendar.listCalendars();
  const calendarId = calendars.find((c) => c.isDefault)?.id ?? '';
  return { server, client, calendar, calendarId, sleeps, close: () => server.close() };
}
