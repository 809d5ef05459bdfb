/**
 * What a worker keeps per mailbox (issue 18): the engines it has opened (their stores and CRM
 * sessions), the most recently used last and at most MAX_OPEN of them — one that is running is
 * never closed — and the CRM's list of paired mailboxes, read once and again when a mailbox is
 * not on it (a pairing made since).
 */
import { CrmSession } from '../../crm';
import { InProcessRunLock } from '../../sync/engine/lock';
import type { ServiceStore } from '../../sync/store/statusStore';
import type { CrmSignal, PairedMailbox } from '../crmSignal';
import type { GraphAccess } from '../graphAccess';
import { MailboxEngine } from '../mailboxEngine';

/** Most mailboxes' engines kept open at once (their stores, CRM sessions); the oldest closed. */
const MAX_OPEN = 2_048;

export interface OpenMailboxesDeps {
  readonly storeFor: (mailbox: string) => ServiceStore;
  readonly graph: GraphAccess;
  readonly crmUrl: string;
  /** The CRM's `service` key (never logged). */
  readonly crmServiceKey: string;
  /** The CRM lease holder every worker of the deployment shares (worker.ts). */
  readonly holderId: string;
  readonly log: (event: Readonly<Record<string, unknown>>) => void;
}

export interface OpenMailbox {
  readonly engine: MailboxEngine;
  readonly store: ServiceStore;
}

export class OpenMailboxes {
  private readonly open = new Map<string, OpenMailbox>();
  private readonly lock = new InProcessRunLock();
  /** The mailboxes whose run is in hand here (never closed under it). */
  readonly running = new Set<string>();

  constructor(private readonly deps: OpenMailboxesDeps) {}

  /** The mailbox's store, its engine opened if it was not (the Status views read it). */
  store(mailbox: string): ServiceStore {
    return (this.open.get(mailbox) ?? this.engine(mailbox, null)).store;
  }

  /** The mailbox's engine, opened in the paired user's zone (UTC when not known yet). */
  engine(mailbox: string, pairedWith: PairedMailbox | null): OpenMailbox {
    const kept = this.open.get(mailbox);
    if (kept) {
      this.open.delete(mailbox);
      this.open.set(mailbox, kept); // the most recent last
      return kept;
    }
    const { deps } = this;
    const store = deps.storeFor(mailbox);
    const engine = new MailboxEngine({
      mailbox,
      timeZone: pairedWith?.timeZone ?? 'UTC',
      store,
      graph: deps.graph.clientFor(mailbox),
      openCrm: () =>
        CrmSession.forService({ address: deps.crmUrl, apiKey: deps.crmServiceKey }, mailbox),
      holderId: deps.holderId,
      lock: this.lock,
      log: deps.log,
    });
    const made = { engine, store };
    this.open.set(mailbox, made);
    for (const [oldest, entry] of this.open) {
      if (this.open.size <= MAX_OPEN) break;
      if (this.running.has(oldest)) continue;
      this.open.delete(oldest);
      entry.store.close();
    }
    return made;
  }

  closeAll(): void {
    for (const [, entry] of this.open) entry.store.close();
    this.open.clear();
  }
}

/** The CRM's paired mailboxes (GET /sync-service/mailboxes), keyed by lower-case address. */
export class PairedMailboxes {
  private paired = new Map<string, PairedMailbox>();
  private reading: Promise<Map<string, PairedMailbox>> | null = null;

  constructor(private readonly signal: Pick<CrmSignal, 'mailboxes'>) {}

  /** Reads the list again; concurrent callers share one read. */
  read(): Promise<Map<string, PairedMailbox>> {
    this.reading ??= this.signal
      .mailboxes()
      .then((list) => {
        this.paired = new Map(list.map((m) => [m.mailbox.toLowerCase(), m] as const));
        return this.paired;
      })
      .finally(() => {
        this.reading = null;
      });
    return this.reading;
  }

  /** The pairing of a mailbox, the list read again when it is not on the one known. */
  async of(mailbox: string): Promise<PairedMailbox | null> {
    return this.paired.get(mailbox) ?? (await this.read()).get(mailbox) ?? null;
  }
}
