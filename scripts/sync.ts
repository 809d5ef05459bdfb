/**
 * `npm run sync`: the headless runner — the same engine the pane runs (createEngineDeps + runSync),
 * in Node, against configured endpoints (the sandbox by default). See `--help`.
 *
 * Nothing here prints a token, a password or an item's content: only run outcomes (counts, error
 * codes) and the endpoints the person named.
 */
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { CrmDirectory, CrmSession } from '../src/crm';
import type { CrmTokenStore } from '../src/crm/tokenStore';
import { SandboxTokenProvider } from '../src/outlook/auth/sandboxTokenProvider';
import { GraphOutlookCalendar } from '../src/outlook/graphOutlookCalendar';
import { createEngineDeps, openMailbox, RuntimeRoot } from '../src/sync/compose';
import { SyncError } from '../src/sync/core/errors';
import type { ContactMode } from '../src/sync/core/contacts/types';
import { DEFAULT_DIRECTION, type SyncSettings } from '../src/sync/core/settings';
import type { EngineDeps } from '../src/sync/engine/context';
import { InProcessRunLock } from '../src/sync/engine/lock';
import { runSync, type RunOutcome } from '../src/sync/engine/run';

const HELP = `Usage: npm run sync -- [options]

Runs the Outlook ⇄ CRM sync engine headless, in Node, against the sandbox (npm start) by default.

Options (each also from the environment variable in brackets):
  --crm-url <url>      CRM address [CRM_URL]                 default http://localhost:3001
  --graph-url <url>    Graph emulator base URL [GRAPH_URL]   default http://localhost:3002/v1.0
  --api-key <key>      CRM API key [CRM_API_KEY]             default sandbox-outlook-key
  --user <address>     CRM user and mailbox [CRM_USER]       default anna@contoso.example
  --calendar <id|name> calendar to sync [SYNC_CALENDAR]      default the mailbox's default calendar
  --time-zone <zone>   the person's IANA zone [SYNC_TIME_ZONE] default this machine's zone
  --contacts <mode>    contact sync (SPEC K2): off, two-way or crm-to-outlook [SYNC_CONTACTS],
                       default off; the "CRM contacts" folder in Outlook
  --once               one run: print its outcome as one JSON line, exit 0 (done) or 1
  --interval <s>       watch mode (the default): a run every <s> seconds [SYNC_INTERVAL],
                       default 30, until Ctrl-C
  -h, --help           this text

The CRM password comes from CRM_PASSWORD only (never a flag, never printed). It defaults to the
sandbox's "sandbox" only when the CRM address is loopback.

The Graph token comes from the emulator's POST /sandbox/token (the sandbox token provider). This
runner is for the sandbox emulator: it cannot sign in to the real Microsoft Graph.

Local sync state lives in an in-memory IndexedDB (fake-indexeddb) and is gone when the process
ends. Each start therefore relinks from the stamps on the items themselves — the designed
recovery path (DESIGN.md "Relink"), which makes no duplicates; it costs one full read per start.
`;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

const httpUrl = (name: string) =>
  z
    .string()
    .refine((s) => URL.canParse(s), { message: `${name} must be an absolute URL` })
    .refine((s) => ['http:', 'https:'].includes(new URL(s).protocol), {
      message: `${name} must be an http or https URL`,
    });

const optionsSchema = z.object({
  crmUrl: httpUrl('--crm-url'),
  graphUrl: httpUrl('--graph-url'),
  apiKey: z.string().min(1, '--api-key must not be empty'),
  user: z.email('--user must be an email address').transform((s) => s.trim().toLowerCase()),
  calendar: z.string().min(1).optional(),
  timeZone: z.string().refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { message: '--time-zone must be an IANA time zone, e.g. Europe/Helsinki' },
  ),
  contacts: z.enum(['off', 'two-way', 'crm-to-outlook'], {
    message: '--contacts must be off, two-way or crm-to-outlook',
  }),
  once: z.boolean(),
  interval: z.coerce
    .number({ message: '--interval must be a number of seconds' })
    .int('--interval must be a whole number of seconds')
    .min(5, '--interval must be at least 5 seconds')
    .max(86_400, '--interval must be at most 86400 seconds (one day)'),
  password: z.string().min(1, 'CRM_PASSWORD must not be empty').optional(),
});

type Options = z.infer<typeof optionsSchema> & { password: string };

class UsageError extends Error {}

const CONTACT_MODES = {
  off: 'off',
  'two-way': 'twoWay',
  'crm-to-outlook': 'crmToOutlook',
} as const satisfies Record<Options['contacts'], ContactMode>;

const FLAGS = {
  'crm-url': { type: 'string' },
  'graph-url': { type: 'string' },
  'api-key': { type: 'string' },
  user: { type: 'string' },
  calendar: { type: 'string' },
  'time-zone': { type: 'string' },
  contacts: { type: 'string' },
  once: { type: 'boolean' },
  interval: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseFlags(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false })
      .values;
  } catch (error) {
    // parseArgs names the unknown or malformed flag itself.
    throw new UsageError((error as Error).message);
  }
}

function readOptions(argv: readonly string[]): Options | 'help' {
  const values = parseFlags(argv);
  if (values.help) return 'help';
  const env = process.env;
  const parsed = optionsSchema.safeParse({
    crmUrl: values['crm-url'] ?? env.CRM_URL ?? 'http://localhost:3001',
    graphUrl: values['graph-url'] ?? env.GRAPH_URL ?? 'http://localhost:3002/v1.0',
    apiKey: values['api-key'] ?? env.CRM_API_KEY ?? 'sandbox-outlook-key',
    user: values.user ?? env.CRM_USER ?? 'anna@contoso.example',
    calendar: values.calendar ?? env.SYNC_CALENDAR,
    timeZone:
      values['time-zone'] ?? env.SYNC_TIME_ZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    contacts: values.contacts ?? env.SYNC_CONTACTS ?? 'off',
    once: values.once ?? false,
    interval: values.interval ?? env.SYNC_INTERVAL ?? '30',
    password: env.CRM_PASSWORD === '' ? undefined : env.CRM_PASSWORD,
  });
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((i) => i.message).join('\n'));
  }
  const options = parsed.data;
  // The sandbox password is public; anywhere else a default password would be a guess.
  const password =
    options.password ?? (LOOPBACK.has(new URL(options.crmUrl).hostname) ? 'sandbox' : undefined);
  if (password === undefined) {
    throw new UsageError('CRM_PASSWORD is required when the CRM address is not loopback');
  }
  return { ...options, password };
}

/** The emulator's token endpoint sits at the server root, beside /v1.0. */
function tokenUrlOf(graphUrl: string): string {
  const url = new URL(graphUrl);
  url.pathname = url.pathname.replace(/\/v1\.0\/?$/, '').replace(/\/$/, '') + '/sandbox/token';
  url.search = '';
  return url.toString();
}

/** Nothing is remembered: the headless runner signs in with the password at each start. */
function memoryTokenStore(): CrmTokenStore {
  let token: string | null = null;
  return {
    load: async () => token,
    save: async (t) => void (token = t),
    clear: async () => void (token = null),
  };
}

async function connect(options: Options): Promise<EngineDeps> {
  const graphTokens = new SandboxTokenProvider({
    tokenUrl: tokenUrlOf(options.graphUrl),
    mailbox: () => options.user,
  });
  // The runner's composition root (issue 13 item 4): one Graph client and one store opening for
  // the mailbox, shared by the calendar lookup and the engine. No person: no sign-in window.
  const root = new RuntimeRoot(
    (mailbox) =>
      openMailbox({
        mailbox,
        graphBaseUrl: options.graphUrl,
        silentTokens: Object.assign(graphTokens, { signIn: async () => undefined }),
      }),
    // A new holder per process: a crashed earlier runner's lease then simply runs out.
    async () => `headless-${randomUUID()}`,
  );
  const resources = root.mailbox(options.user);
  const crmSession = await CrmSession.signIn({
    address: options.crmUrl,
    apiKey: options.apiKey,
    username: options.user,
    password: options.password,
    remember: false,
    tokenStore: memoryTokenStore(),
  });
  const types = await new CrmDirectory(crmSession).activityTypes();
  // T3 and P1 as the pane's defaults would pick them: the first ordinary type for items made in
  // Outlook, the CRM's personal type (if any) for private ones.
  const defaultType = types.find((t) => !t.personal) ?? null;
  const personalType = types.find((t) => t.personal) ?? null;

  const lookup = new GraphOutlookCalendar({
    client: resources.graph,
    personZone: options.timeZone,
  });
  const calendars = await lookup.listCalendars();
  const wanted = options.calendar;
  const calendar =
    wanted === undefined
      ? calendars.find((c) => c.isDefault)
      : (calendars.find((c) => c.id === wanted) ?? calendars.find((c) => c.name === wanted));
  if (!calendar) {
    const names = calendars.map((c) => `"${c.name}"`).join(', ');
    throw new UsageError(
      wanted === undefined
        ? 'The mailbox has no default calendar: name one with --calendar'
        : `No calendar "${wanted}" in ${options.user}; it has: ${names}`,
    );
  }

  const settings: SyncSettings = {
    outlookToCrm: DEFAULT_DIRECTION,
    crmToOutlook: DEFAULT_DIRECTION,
    defaultTypeId: defaultType?.id ?? null,
    personalTypeId: personalType?.id ?? null,
    privateMode: 'full',
    busySubject: 'Busy',
    conflictPolicy: 'newest-wins',
    timeZone: options.timeZone,
    mailbox: options.user,
    crmUserId: crmSession.userId,
    contacts: {
      mode: CONTACT_MODES[options.contacts],
      addActivityContacts: false,
      conflictPolicy: 'newest-wins',
    },
  };
  return createEngineDeps({
    resources,
    crmSession,
    settings,
    calendarId: calendar.id,
    holderId: await root.holderId(),
    lock: new InProcessRunLock(),
  });
}

/** The outcome as printable data: counts and codes only, never content. */
function summary(outcome: RunOutcome, seconds: number): Record<string, unknown> {
  const base = { at: new Date().toISOString(), seconds: Number(seconds.toFixed(3)) };
  switch (outcome.state) {
    case 'done':
      return { ...base, state: 'done', counts: outcome.counts, failures: outcome.failures };
    case 'braked':
      return { ...base, state: 'braked', brake: outcome.brake.kind };
    case 'busy':
      return { ...base, state: 'busy' };
    case 'failed':
      return {
        ...base,
        state: 'failed',
        error: { code: outcome.error.code, kind: outcome.error.kind },
      };
  }
}

async function runOnce(deps: EngineDeps): Promise<RunOutcome> {
  const started = performance.now();
  const outcome = await runSync(deps);
  console.log(JSON.stringify(summary(outcome, (performance.now() - started) / 1000)));
  return outcome;
}

async function watch(deps: EngineDeps, intervalSeconds: number): Promise<void> {
  let stopping = false;
  let wake: (() => void) | undefined;
  process.once('SIGINT', () => {
    stopping = true;
    console.error('Stopping after the current run…');
    wake?.();
  });
  console.error(`Syncing every ${intervalSeconds} s; Ctrl-C stops.`);
  while (!stopping) {
    await runOnce(deps);
    if (stopping) break;
    // The interval counts from the end of a run, so a slow run never overlaps the next one.
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, intervalSeconds * 1000).unref();
    });
  }
}

function describe(error: unknown): string {
  if (error instanceof UsageError) return error.message;
  // A SyncError's code names the cause (wrongApiKey, wrongCredentials, graphSignInFailed…); its
  // detail names endpoints and statuses, never a secret.
  if (error instanceof SyncError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

async function main(): Promise<number> {
  let options: Options | 'help';
  try {
    options = readOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${describe(error)}\nSee npm run sync -- --help`);
    return 2;
  }
  if (options === 'help') {
    console.log(HELP);
    return 0;
  }
  let deps: EngineDeps;
  try {
    deps = await connect(options);
  } catch (error) {
    const outcome = { state: 'failed', error: describe(error) };
    if (options.once) console.log(JSON.stringify(outcome));
    else console.error(`Could not start: ${describe(error)}`);
    return 1;
  }
  if (options.once) return (await runOnce(deps)).state === 'done' ? 0 : 1;
  await watch(deps, options.interval);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(describe(error));
    process.exit(1);
  },
);
