/**
 * A runtime's composition root (issue 13 item 4): per mailbox one Graph client — one gate of 4
 * requests in flight, as Graph counts them per app and mailbox — and one opening of its sync
 * database, handed to every service of the runtime; the installation's lease holder id read once.
 * The pane (src/taskpane/paneRuntime.ts) and the headless runner (scripts/sync.ts) each make one;
 * the always-on service will make its own with its own store.
 */
import type { GraphTokenProvider, InteractiveTokenProvider } from '../outlook/auth/tokenProvider';
import { GraphClient } from '../outlook/graphClient';
import { DexieSyncStore } from './store/dexieSyncStore';
import { openSyncDb, type SyncDb } from './store/schema';
import type { SyncStore } from './store/syncStore';

/**
 * What one runtime holds for one mailbox, made once and handed to every service of it: the
 * engine, the pane's status and item views, the connection's calendar list.
 */
export interface MailboxResources {
  /** The mailbox address, lower-cased (the store's and Graph's key). */
  readonly mailbox: string;
  /**
   * The mailbox's one Graph client with silent tokens: the sync loop and lookups the pane makes
   * by itself never open a sign-in window (issue 11 item 6). One gate of 4 requests in flight for
   * every service of the mailbox, as Graph counts them (concepts/throttling-limits.md).
   */
  readonly graph: GraphClient;
  /** The same client (the same gate) with tokens that may open a window: steps the person asked for. */
  readonly graphInteractive: GraphClient;
  /** The silent token source, whose `signIn()` is the "Sign in to Microsoft 365" button's. */
  readonly tokens: InteractiveTokenProvider;
  /** The one opening of the mailbox's sync database in this runtime. */
  readonly db: SyncDb;
  /** The engine's store over that opening (store/syncStore.ts). */
  readonly store: SyncStore;
}

export interface MailboxWiring {
  readonly mailbox: string;
  readonly graphBaseUrl: string;
  /** Silent-only (the loop's); its signIn() opens the window when the person asks. */
  readonly silentTokens: InteractiveTokenProvider;
  /** May open a sign-in window; the silent one when the runtime has no person (headless). */
  readonly interactiveTokens?: GraphTokenProvider;
  /** For a runtime that brings its own IndexedDB (fake-indexeddb in Node). */
  readonly indexedDB?: IDBFactory;
  readonly fetch?: typeof fetch;
}

/** Opens a mailbox's resources. A runtime calls it through its RuntimeRoot, once per mailbox. */
export function openMailbox(wiring: MailboxWiring): MailboxResources {
  const mailbox = wiring.mailbox.trim().toLowerCase();
  const graph = new GraphClient({
    baseUrl: wiring.graphBaseUrl,
    tokens: wiring.silentTokens,
    ...(wiring.fetch ? { fetch: wiring.fetch } : {}),
  });
  const db = openSyncDb(mailbox, wiring.indexedDB);
  return {
    mailbox,
    graph,
    graphInteractive: graph.withTokens(wiring.interactiveTokens ?? wiring.silentTokens),
    tokens: wiring.silentTokens,
    db,
    store: new DexieSyncStore(db),
  };
}

/**
 * One runtime's composition root (the pane's, the headless runner's, later the service's): one
 * MailboxResources per mailbox, opened on first use and kept, and the installation's lease holder
 * id read once.
 */
export class RuntimeRoot {
  private readonly mailboxes = new Map<string, MailboxResources>();
  private holder: Promise<string> | null = null;

  constructor(
    private readonly open: (mailbox: string) => MailboxResources,
    private readonly readHolderId: () => Promise<string>,
  ) {}

  mailbox(address: string): MailboxResources {
    const key = address.trim().toLowerCase();
    let resources = this.mailboxes.get(key);
    if (!resources) {
      resources = this.open(key);
      this.mailboxes.set(key, resources);
    }
    return resources;
  }

  /** The lease holder id of this installation (SPEC: one client writes at a time). */
  holderId(): Promise<string> {
    const holder = (this.holder ??= this.readHolderId());
    // A failed read is forgotten, so the next start asks again.
    holder.catch(() => {
      if (this.holder === holder) this.holder = null;
    });
    return holder;
  }

  /** Closes every store opening (a runtime that ends: the headless runner, a test). */
  close(): void {
    for (const resources of this.mailboxes.values()) resources.db.close();
    this.mailboxes.clear();
  }
}
