/**
 * The worker's /metrics in Prometheus's text format (prom-client 15; issue 18, item 4): what a
 * person reads to know the workers keep up.
 *
 * - `sync_runs_total{outcome}` — this worker's runs (Prometheus: `rate(sync_runs_total[5m]) * 60`
 *   is runs per minute; summed over workers, the cluster's);
 * - `sync_runs_last_minute{outcome}` — every worker's runs that ended in the last minute, from
 *   the run log in PostgreSQL (readable without a Prometheus);
 * - `sync_queue_depth{state}` — mailbox jobs ready, scheduled (debounce, backoff) and running;
 * - `sync_notification_to_crm_seconds` — from a change signal's arrival (Graph's notification, the
 *   CRM's signal) to the end of the run that carried it, a histogram: its p95 is
 *   `histogram_quantile(0.95, rate(sync_notification_to_crm_seconds_bucket[5m]))`;
 * - `sync_mailboxes_quarantined` — mailboxes set aside after failing QUARANTINE_AFTER runs in a row.
 * Labels are outcomes and states only: never a mailbox (unbounded, and personal).
 */
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Ledger } from './ledger';
import type { RunQueue } from './queue';

export class WorkerMetrics {
  readonly registry = new Registry();
  readonly runs: Counter<'outcome'>;
  readonly latency: Histogram;

  constructor(ledger: Ledger, queue: RunQueue) {
    collectDefaultMetrics({ register: this.registry });
    this.runs = new Counter({
      name: 'sync_runs_total',
      help: 'Mailbox runs this worker finished, by outcome',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'sync_notification_to_crm_seconds',
      help: 'From a change signal (Graph notification or CRM signal) to the end of its run',
      buckets: [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600],
      registers: [this.registry],
    });
    new Gauge({
      name: 'sync_runs_last_minute',
      help: 'Runs of every worker that ended in the last minute, by outcome (the run log)',
      labelNames: ['outcome'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [outcome, n] of Object.entries(await ledger.lastMinute())) {
          this.set({ outcome }, n);
        }
      },
    });
    new Gauge({
      name: 'sync_queue_depth',
      help: 'Mailbox run jobs by state: ready, scheduled (debounce, backoff), running',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        const depth = await queue.depth();
        for (const [state, n] of Object.entries(depth)) this.set({ state }, n);
      },
    });
    new Gauge({
      name: 'sync_mailboxes_quarantined',
      help: 'Mailboxes set aside after failing runs in a row',
      registers: [this.registry],
      async collect() {
        this.set(await ledger.quarantinedCount());
      },
    });
  }
}

/** What the operations routes ask of the worker. */
export interface WorkerState {
  /** Stopping: no new work, readiness withdrawn so a load balancer stops sending any. */
  shuttingDown(): boolean;
  /** Whether the queue's runner has started. */
  started(): boolean;
  /** Whether PostgreSQL answers. */
  databaseReachable(): Promise<boolean>;
}

/**
 * GET /healthz (the process is alive), /readyz (ready for work: started, not stopping, PostgreSQL
 * reachable; 503 with the reason otherwise) and /metrics (Prometheus's text format).
 */
export function operationsRoutes(app: FastifyInstance, metrics: WorkerMetrics, state: WorkerState) {
  app.get('/healthz', async () => ({ status: 'alive' }));
  app.get('/readyz', async (_request, reply) => {
    if (state.shuttingDown()) return reply.code(503).send({ status: 'shuttingDown' });
    if (!state.started()) return reply.code(503).send({ status: 'starting' });
    if (!(await state.databaseReachable())) {
      return reply.code(503).send({ status: 'databaseUnreachable' });
    }
    return { status: 'ready' };
  });
  app.get('/metrics', async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
}
