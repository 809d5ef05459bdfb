/**
 * Issue 16, item 1: Graph requests made by a group of callers working side by side (the engine's
 * apply, a group of operations at a time) go out together in $batch envelopes of up to 20
 * (concepts/json-batching.md). Each caller keeps writing the single request it always wrote —
 * its create with the stamp in the body, its PATCH with If-Match, its DELETE — and gets the
 * single answer back (or the single error, thrown as the request would have thrown it), so one
 * item's failure is that item's alone.
 *
 * When to send: once every caller still at work is waiting for Graph (or 20 are), so a group's
 * writes travel in as few envelopes as its callers allow; a caller busy elsewhere (the store, the
 * CRM) is waited for, and one that finishes leaves the group. The batch itself runs in runBatch
 * (per-item 429 after the longest Retry-After, 424 item by item), paced and gated as the
 * sub-requests it carries (GraphRequest.cost).
 */
import { runBatch, MAX_BATCH, type BatchItem } from './graphBatch';
import { GraphClient, type GraphRequest, type GraphResponse } from './graphClient';

interface Waiting {
  readonly item: BatchItem<unknown>;
  readonly resolve: (response: GraphResponse<unknown>) => void;
  readonly reject: (error: unknown) => void;
}

/** The batcher of one group: `members` callers, each calling `leave()` once when done. */
export class RequestGroup {
  private readonly queue: Waiting[] = [];
  /** Requests handed to Graph and not answered yet. */
  private sent = 0;

  constructor(
    private readonly client: GraphClient,
    private active: number,
  ) {}

  /** Whether a request can ride in a batch: relative paths only (json-batching.md: "url"). */
  static batchable(req: GraphRequest<unknown>): boolean {
    return req.path.startsWith('/') && !req.path.startsWith('/$batch');
  }

  request<T>(req: GraphRequest<T>): Promise<GraphResponse<T>> {
    return new Promise<GraphResponse<T>>((resolve, reject) => {
      const item: BatchItem<unknown> = {
        method: req.method,
        url: req.path,
        ...(req.body !== undefined ? { body: req.body } : {}),
        ...(req.headers ? { headers: req.headers } : {}),
        schema: req.schema,
        ...(req.notFound ? { notFound: req.notFound } : {}),
      };
      this.queue.push({
        item,
        resolve: resolve as (response: GraphResponse<unknown>) => void,
        reject,
      });
      this.maybeSend();
    });
  }

  /** A caller is done (succeeded or failed): the others no longer wait for it. */
  leave(): void {
    this.active = Math.max(0, this.active - 1);
    this.maybeSend();
  }

  private maybeSend(): void {
    while (
      this.queue.length >= MAX_BATCH ||
      (this.queue.length > 0 && this.queue.length + this.sent >= this.active)
    ) {
      this.send(this.queue.splice(0, MAX_BATCH));
    }
  }

  private send(batch: Waiting[]): void {
    this.sent += batch.length;
    const settled = () => {
      this.sent -= batch.length;
    };
    runBatch(
      this.client,
      batch.map((w) => w.item),
    ).then(
      (results) => {
        settled();
        results.forEach((result, index) => {
          const waiting = batch[index];
          if (!waiting) return;
          if (result.ok) waiting.resolve({ status: result.status, data: result.data });
          else waiting.reject(result.error);
        });
      },
      (error: unknown) => {
        // The envelope itself failed (sign-in, throttling, offline): every item in it did.
        settled();
        for (const waiting of batch) waiting.reject(error);
      },
    );
  }
}

/**
 * A view of a client whose batchable requests go through a group; anything else (an absolute
 * nextLink, a $batch of its own) goes straight to Graph through the same gate and pacer.
 */
export class GroupedGraphClient extends GraphClient {
  constructor(
    base: GraphClient,
    private readonly group: RequestGroup,
  ) {
    super(base.options, base.sharedState());
  }

  override request<T>(req: GraphRequest<T>): Promise<GraphResponse<T>> {
    if (!RequestGroup.batchable(req as GraphRequest<unknown>)) return super.request(req);
    return this.group.request(req);
  }
}
