/**
 * The service's side of the CRM's sync-service operations (docs/crm-sync-api.yaml, issue 17):
 * the paired mailboxes, and the change signal as a loop of long-polls. The loop is bounded in
 * every way: each request waits at most `waitSeconds` (≤ 50) plus a margin, failures back off
 * from 1 s doubling to 60 s, and stop() aborts the request in flight.
 *
 * Hand-written over fetch rather than CrmHttp: a long-poll must be abortable at once when the
 * service stops, and CrmHttp's calls are not. Answers are checked with zod; errors are reported
 * by code only (never the key).
 */
import * as z from 'zod';
import { normaliseCrmAddress } from '../crm/address';

export const PairedMailboxSchema = z.object({
  mailbox: z.string().min(1),
  userId: z.string().min(1),
  timeZone: z.string().min(1),
  language: z.string(),
});
export type PairedMailbox = z.infer<typeof PairedMailboxSchema>;

const MailboxesSchema = z.object({ active: z.boolean(), mailboxes: z.array(PairedMailboxSchema) });
const SignalSchema = z.object({ mailboxes: z.array(z.string()), nextCursor: z.string().min(1) });

export class CrmSignalError extends Error {
  override readonly name = 'CrmSignalError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CrmSignalOptions {
  readonly crmUrl: string;
  readonly serviceKey: string;
  readonly waitSeconds: number;
  readonly onChanged: (mailboxes: readonly string[]) => void;
  readonly onError: (code: string) => void;
  readonly fetch?: typeof fetch;
}

const MAX_BACKOFF_MS = 60_000;

export class CrmSignal {
  private readonly base: string;
  private readonly fetchFn: typeof fetch;
  private abort = new AbortController();
  private loop: Promise<void> | null = null;

  constructor(private readonly options: CrmSignalOptions) {
    this.base = `${normaliseCrmAddress(options.crmUrl)}/api/v1`;
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** The mailboxes the service is to sync (none while the company has it off). */
  async mailboxes(): Promise<PairedMailbox[]> {
    const body = MailboxesSchema.parse(
      await this.get('/sync-service/mailboxes', AbortSignal.timeout(30_000)),
    );
    return body.active ? body.mailboxes : [];
  }

  start(): void {
    this.abort = new AbortController();
    this.loop ??= this.run(this.abort.signal).finally(() => {
      this.loop = null;
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async run(stop: AbortSignal): Promise<void> {
    let cursor: string | null = null;
    let backoff = 1_000;
    while (!stop.aborted) {
      try {
        const query =
          cursor === null
            ? ''
            : `?cursor=${encodeURIComponent(cursor)}&wait=${this.options.waitSeconds}`;
        const signal = AbortSignal.any([
          stop,
          AbortSignal.timeout((this.options.waitSeconds + 15) * 1000),
        ]);
        const answer = SignalSchema.parse(await this.get(`/sync-service/changes${query}`, signal));
        cursor = answer.nextCursor;
        backoff = 1_000;
        if (answer.mailboxes.length > 0) this.options.onChanged(answer.mailboxes);
      } catch (error) {
        if (stop.aborted) return;
        const code = error instanceof CrmSignalError ? error.code : 'crmUnreachable';
        // A cursor the CRM no longer knows (its store was reset): start again from its head.
        if (code === 'invalid-cursor') cursor = null;
        this.options.onError(code);
        await sleep(backoff, stop);
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      }
    }
  }

  private async get(path: string, signal: AbortSignal): Promise<unknown> {
    const res = await this.fetchFn(`${this.base}${path}`, {
      headers: { 'X-Api-Key': this.options.serviceKey, Accept: 'application/json' },
      redirect: 'manual',
      signal,
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!res.ok) {
      const code =
        typeof body === 'object' && body !== null && 'code' in body && typeof body.code === 'string'
          ? body.code
          : `http-${res.status}`;
      throw new CrmSignalError(code, `GET ${path.split('?')[0]}: ${res.status} ${code}`);
    }
    return body;
  }
}

function sleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    }
    stop.addEventListener('abort', done, { once: true });
  });
}
