/**
 * A scale-out worker (issue 18): one of any number of stateless processes over one PostgreSQL.
 * What asks for a run — a Graph notification (any worker may receive it behind a load balancer),
 * the CRM's change signal (long-polled by one elected worker), the safety poll (cron, all
 * mailboxes, longest-unsynced first), a person's request through the control API — only ENQUEUES
 * a job (./queue.ts); whichever worker is free runs it with the engine the single-process service
 * runs (../mailboxEngine.ts), holding the mailbox's advisory lock (./advisoryRunLock.ts) and
 * writing the run log (./ledger.ts). Failed runs are retried with backoff; QUARANTINE_AFTER
 * failures in a row set the mailbox aside. Subscription renewal is a scheduled job. Graph's
 * budgets are counted in PostgreSQL (./sharedBudget.ts). Dead workers' jobs are handed back
 * (./liveness.ts). The listener serves the control API, Graph's notifications, and /healthz,
 * /readyz and /metrics (./metrics.ts).
 *
 * Fair scheduling: each worker runs `concurrency` mailboxes at once, one job per mailbox (a
 * mailbox's long first sync holds one slot, never the others); jobs are taken by priority
 * (signals 0, the poll 1), then by due time — the poll enqueues the longest-unsynced first.
 */
import { EventEmitter } from 'node:events';
import { createHash, randomUUID } from 'node:crypto';
import { Logger, run, runMigrations, type Runner, type Task } from 'graphile-worker';
import { Pool } from 'pg';
import { CrmSession } from '../../crm';
import type { Timing } from '../../sync/scheduler';
import { InProcessRunLock } from '../../sync/engine/lock';
import type { RunOptions } from '../../sync/engine/run';
import { PostgresStores, withPassword } from '../../sync/store/postgres/database';
import type { ServiceStore } from '../../sync/store/statusStore';
import { crmVerifier } from '../api/verifyCaller';
import { ConfigError, type ServiceConfig } from '../config';
import { CrmSignal, type PairedMailbox } from '../crmSignal';
import { NotificationReceiver, SubscriptionManager } from '../graph';
import { listenService } from '../listener';
import { MailboxEngine } from '../mailboxEngine';
import { graphAccessFor, openSecrets, readTls, type StartServiceOptions } from '../start';
import { AdvisoryRunLock } from './advisoryRunLock';
import type { ScaleConfig } from './config';
import { Ledger, QUARANTINE_AFTER } from './ledger';
import { Liveness } from './liveness';
import { WorkerMetrics } from './metrics';
import {
  POLL_TASK,
  RENEW_TASK,
  RunQueue,
  signalsOf,
  signalTime,
  SYNC_TASK,
  triggerOf,
} from './queue';
import { ScaleControl } from './scaleControl';
import { migrateScale } from './schema';
import { PgBudgetCounts, pruneBudget } from './sharedBudget';
import { PgSubscriptionRecords } from './subscriptionRecords';

type Log = (event: Readonly<Record<string, unknown>>) => void;

export interface StartWorkerOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: Log;
  readonly authority?: StartServiceOptions['authority'];

  /** This process's id in the liveness table (default a random one). */
  readonly processId?: string;
  readonly timing?: Partial<Timing>;
}

export interface RunningWorker {
  readonly url: string;
  readonly notificationUrl: string;
  readonly processId: string;
  /**
   * Stops taking jobs, lets the runs in hand finish within shutdownSeconds, hands back what is
   * left (its jobs unlocked for the other workers) and closes everything. Resolves to whether
   * runs had to be handed back — the caller then exits at once: a run handed back must not go on.
   */
  stop(): Promise<{ handedBack: boolean }>;
}

/** Most mailboxes' engines kept open at once (their stores, CRM sessions); the oldest closed. */
const MAX_OPEN = 2_048;
/** A mailbox whose run lock or CRM lease is held elsewhere: tried again after this. */
const BUSY_RETRY_MS = 2_000;
const LEASE_RETRY_MS = 30_000;

class QuietLogger extends Logger {}

export async function startWorker(
  config: ServiceConfig,
  scale: ScaleConfig,
  options: StartWorkerOptions = {},
): Promise<RunningWorker> {
  const log: Log = options.log ?? (() => undefined);
  const processId = options.processId ?? `worker-${randomUUID()}`;
  if (config.store !== 'postgres' || config.postgresUrl === undefined) {
    throw new ConfigError('store: the workers share one PostgreSQL database (store postgres)');
  }
  const secrets = openSecrets(config, options.env ?? process.env);
  const password = secrets.postgresPassword;
  // The mailboxes' stores (src/sync/store/postgres), migrated first; then this module's pool:
  // the run lock connections (one per run in hand), the liveness connection, the queue's own.
  const stores = await PostgresStores.open({
    url: config.postgresUrl,
    ...(password === undefined ? {} : { password }),
    maxConnections: scale.concurrency * 2 + 2,
  });
  const pool = new Pool({
    // The password inside the URL: pg reads a connection string over its `password` option
    // (src/sync/store/postgres/database.ts withPassword).
    connectionString: withPassword(config.postgresUrl, password),
    max: scale.concurrency * 2 + 8,
    connectionTimeoutMillis: 10_000,
  });
  const poolError = (error: Error & { code?: string }) =>
    log({ event: 'poolError', code: error.code ?? 'unknown' });
  pool.on('error', poolError);
  // An idle or checked-out connection that fails must not crash the process (pg's rule).
  pool.on('connect', (client) => client.on('error', poolError));
  let closing = false;
  let shuttingDown = false;
  try {
    await migrateScale(pool);
    await runMigrations({ pgPool: pool, logger: quietLogger(log) });
  } catch (error) {
    await pool.end();
    await stores.close();
    throw error;
  }
  const graph = graphAccessFor(config, secrets, options.authority, (mailbox) =>
    PgBudgetCounts.forMailbox(pool, mailbox),
  );
  const ledger = new Ledger(pool);
  const queue = new RunQueue(pool, 'graphile_worker', scale.debounceMs, scale.retryBaseMs);
  const runLock = new AdvisoryRunLock(pool);
  const metrics = new WorkerMetrics(ledger, queue);
  const storeFor = (mailbox: string): ServiceStore => stores.forMailbox(mailbox);
  // Every worker of one deployment is one CRM lease holder (named by its database, without the
  // password — as src/service/stores.ts names an installation): the queue and the advisory lock
  // make its runs exclusive, and a worker that takes over a dead one's mailbox takes its lease at
  // once instead of waiting out the lease's 120 s.
  const installation = new URL(config.postgresUrl);
  installation.password = '';
  const holderId = `service-${createHash('sha256').update(installation.toString()).digest('hex').slice(0, 16)}`;

  // ─── The mailboxes ─────────────────────────────────────────────────────────────────────────
  const signal = new CrmSignal({
    crmUrl: config.crmUrl,
    serviceKey: secrets.crmServiceKey,
    waitSeconds: config.signalWaitSeconds,
    onChanged: (mailboxes) => {
      for (const m of mailboxes) enqueueQuietly(m.toLowerCase(), 'crmChange');
    },
    onError: (code) => log({ event: 'crmSignalError', code }),
  });
  let paired = new Map<string, PairedMailbox>();
  let pairedRead: Promise<Map<string, PairedMailbox>> | null = null;
  const readPaired = () =>
    (pairedRead ??= signal
      .mailboxes()
      .then((list) => {
        paired = new Map(list.map((m) => [m.mailbox.toLowerCase(), m] as const));
        return paired;
      })
      .finally(() => {
        pairedRead = null;
      }));
  const pairedMailbox = async (mailbox: string) =>
    paired.get(mailbox) ?? (await readPaired()).get(mailbox) ?? null;

  const open = new Map<string, { engine: MailboxEngine; store: ServiceStore }>();
  const engineLock = new InProcessRunLock();
  const storeOf = (mailbox: string): ServiceStore => {
    const kept = open.get(mailbox);
    if (kept) return kept.store;
    return engineOf(mailbox, null).store;
  };
  const engineOf = (mailbox: string, pairedWith: PairedMailbox | null) => {
    const kept = open.get(mailbox);
    if (kept) {
      open.delete(mailbox);
      open.set(mailbox, kept); // the most recent last
      return kept;
    }
    const store = storeFor(mailbox);
    const engine = new MailboxEngine({
      mailbox,
      timeZone: pairedWith?.timeZone ?? 'UTC',
      store,
      graph: graph.clientFor(mailbox),
      openCrm: () =>
        CrmSession.forService({ address: config.crmUrl, apiKey: secrets.crmServiceKey }, mailbox),
      holderId,
      lock: engineLock,
      log,
    });
    const made = { engine, store };
    open.set(mailbox, made);
    for (const [oldest, entry] of open) {
      if (open.size <= MAX_OPEN) break;
      if (running.has(oldest)) continue;
      open.delete(oldest);
      entry.store.close();
    }
    return made;
  };
  const running = new Set<string>();

  function enqueueQuietly(mailbox: string, trigger: Parameters<RunQueue['enqueue']>[1]) {
    void queue
      .enqueue(mailbox, trigger)
      .catch((error: Error & { code?: string }) =>
        log({ event: 'enqueueError', mailbox, code: error.code ?? 'unknown' }),
      );
  }

  // ─── The jobs ──────────────────────────────────────────────────────────────────────────────
  const syncMailbox: Task = async (payload, helpers) => {
    const signals = signalsOf(payload);
    const first = signals[0];
    if (!first) return;
    const mailbox = first.mailbox.toLowerCase();
    const trigger = triggerOf(signals);
    const health = await ledger.health(mailbox);
    const asked = signals.some((s) => s.trigger === 'syncNow' || s.trigger === 'brakeConfirmed');
    if (health?.quarantined_at && !asked) {
      log({ event: 'skipped', mailbox, reason: 'quarantined' });
      return;
    }
    if (health?.brake && !asked) {
      // SPEC D3: regular runs wait for the person's answer to the brake's question.
      log({ event: 'skipped', mailbox, reason: 'braked' });
      return;
    }
    const pairedWith = await pairedMailbox(mailbox);
    if (!pairedWith) {
      log({ event: 'skipped', mailbox, reason: 'notPaired' });
      return;
    }
    const confirmation = signals.find((s) => s.confirmation)?.confirmation;
    const runOptions: RunOptions = confirmation ? { massDeleteConfirmed: confirmation } : {};
    const { engine } = engineOf(mailbox, pairedWith);
    const signalAt = signalTime(signals);
    running.add(mailbox);
    let outcome;
    try {
      outcome = await runLock.ifAvailable(`run:${mailbox}`, async () => {
        const runId = await ledger.startRun(mailbox, processId, trigger, signalAt);
        let result = null;
        try {
          result = await engine.run(trigger, runOptions);
          return result;
        } finally {
          await ledger.endRun(runId, result);
        }
      });
    } finally {
      running.delete(mailbox);
    }
    if (outcome === null) {
      // Another worker's run of the mailbox holds its lock (a hand-over under way): soon again.
      log({ event: 'busy', mailbox, job: helpers.job.id });
      await queue.enqueue(mailbox, trigger, { delayMs: BUSY_RETRY_MS, followUp: true });
      return;
    }
    metrics.runs.inc({ outcome: outcome.state });
    if (signalAt !== null && outcome.state === 'done') {
      metrics.latency.observe((Date.now() - signalAt.getTime()) / 1000);
    }
    const after = await ledger.recordOutcome(mailbox, trigger, outcome);
    if (outcome.state === 'busy') {
      // The CRM lease is another client's (a pane syncing): try again when it may be free.
      await queue.enqueue(mailbox, trigger, { delayMs: LEASE_RETRY_MS, followUp: true });
    } else if (outcome.state === 'failed') {
      if (after.quarantined) {
        log({ event: 'quarantined', mailbox, failures: after.failures, code: outcome.error.code });
        return;
      }
      // Tried again after the backoff (./queue.ts computes it from the failures in a row).
      log({ event: 'retry', mailbox, failures: after.failures, of: QUARANTINE_AFTER });
      await queue.enqueue(mailbox, trigger, { delayMs: 0, followUp: true });
    }
  };

  const safetyPoll: Task = async () => {
    const list = [...(await readPaired()).keys()];
    for (const mailbox of await ledger.fairOrder(list)) await queue.enqueue(mailbox, 'poll');
    await pruneBudget(pool);
    log({ event: 'poll', mailboxes: list.length });
  };

  // ─── The listener ──────────────────────────────────────────────────────────────────────────
  let receiver: NotificationReceiver | null = null;
  const control = new ScaleControl({
    ledger,
    queue,
    isPaired: async (mailbox) => (await pairedMailbox(mailbox)) !== null,
    store: storeOf,
  });
  let runner: Runner | null = null;
  const tls = readTls(config);
  const listener = await listenService({
    control,
    verify: crmVerifier({ crmAddress: config.crmUrl }),
    paneOrigins: config.paneOrigins,
    host: config.host,
    port: config.port,
    ...(tls ? { tls } : {}),
    notifications: () => (shuttingDown ? null : receiver),
    extraRoutes: (app) => {
      app.get('/healthz', async () => ({ status: 'alive' }));
      app.get('/readyz', async (_request, reply) => {
        if (shuttingDown) return reply.code(503).send({ status: 'shuttingDown' });
        if (runner === null) return reply.code(503).send({ status: 'starting' });
        const db = await pool
          .query('SELECT 1')
          .then(() => true)
          .catch(() => false);
        if (!db) return reply.code(503).send({ status: 'databaseUnreachable' });
        return { status: 'ready' };
      });
      app.get('/metrics', async (_request, reply) => {
        const text = await metrics.registry.metrics();
        return reply.type(metrics.registry.contentType).send(text);
      });
    },
  });
  const notificationUrl = config.notificationUrl ?? listener.notificationUrl;
  const records = new PgSubscriptionRecords(pool);
  const subscriptions = new SubscriptionManager({
    graphFor: (mailbox) => graph.subscriptions.clientFor(mailbox),
    resource: (mailbox) => graph.subscriptions.resource(mailbox),
    notificationUrl,
    onResync: (mailbox) => queue.enqueue(mailbox, 'resync'),
    records,
    log: (note) => log({ event: 'subscriptions', note }),
  });
  const renewSubscriptions: Task = async () => {
    subscriptions.adopt(await records.all());
    const list = [...(await readPaired()).keys()];
    for (const mailbox of list) {
      await subscriptions
        .ensure(mailbox)
        .catch((error: Error & { code?: string }) =>
          log({ event: 'subscriptionError', mailbox, code: error.code ?? 'unknown' }),
        );
    }
    const wanted = new Set(list);
    for (const [mailbox] of subscriptions.subscriptions()) {
      if (!wanted.has(mailbox)) await subscriptions.remove(mailbox).catch(() => undefined);
    }
  };

  receiver = new NotificationReceiver({
    lookup: subscriptions.lookup,
    onChange: (mailbox) => enqueueQuietly(mailbox.toLowerCase(), 'notification'),
    onLifecycle: (mailbox, event) => subscriptions.handleLifecycle(mailbox.toLowerCase(), event),
    log: (note) => log({ event: 'notifications', note }),
  });

  // ─── Liveness, then the queue ──────────────────────────────────────────────────────────────
  const liveness = new Liveness({
    pool,
    processId,
    sweepMs: scale.sweepMs,
    log,
    onLost: (error: Error & { code?: string }) => {
      if (closing) return;
      // This process can no longer prove it is alive: the others will hand its jobs back, so it
      // must not go on running them.
      log({ event: 'livenessLost', code: error.code ?? 'unknown' });
      process.exit(70);
    },
  });
  await liveness.start();
  const events = new EventEmitter();
  events.on('worker:create', ({ worker }: { worker: { workerId: string } }) =>
    liveness.addWorker(worker.workerId),
  );
  runner = await run({
    pgPool: pool,
    concurrency: scale.concurrency,
    noHandleSignals: true,
    pollInterval: 1_000,
    events: events as never,
    logger: quietLogger(log),
    taskList: {
      [SYNC_TASK]: syncMailbox,
      [POLL_TASK]: safetyPoll,
      [RENEW_TASK]: renewSubscriptions,
    },
    crontab: [
      `${scale.pollCron} ${POLL_TASK} ?jobKey=${POLL_TASK}&jobKeyMode=preserve_run_at`,
      `${scale.pollCron} ${RENEW_TASK} ?jobKey=${RENEW_TASK}&jobKeyMode=preserve_run_at`,
    ].join('\n'),
  });
  // A poll and the subscriptions at start (once, however many workers start together).
  await queue.enqueueTask(POLL_TASK);
  await queue.enqueueTask(RENEW_TASK);

  // The elected worker long-polls the CRM; every worker refreshes the subscriptions it knows.
  let listening = false;
  const chores = setInterval(() => {
    if (!listening && liveness.isLeader()) {
      listening = true;
      signal.start();
    }
    void records
      .all()
      .then((all) => subscriptions.adopt(all))
      .catch(() => undefined);
  }, scale.sweepMs);
  chores.unref();
  log({ event: 'workerStarted', process: processId, concurrency: scale.concurrency });

  return {
    url: listener.url,
    notificationUrl,
    processId,
    stop: async () => {
      shuttingDown = true;
      clearInterval(chores);
      await signal.stop();
      const stopped = runner?.stop() ?? Promise.resolve();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const inTime = await Promise.race([
        stopped.then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), scale.shutdownSeconds * 1000);
        }),
      ]);
      clearTimeout(timer);
      closing = true;
      if (!inTime) {
        // Hand back: the jobs in hand are unlocked for the other workers; the caller exits now,
        // and with this process's connections its advisory locks go.
        await pool
          .query('SELECT graphile_worker.force_unlock_workers($1::text[])', [
            liveness.ownWorkerIds(),
          ])
          .catch(() => undefined);
        log({ event: 'handedBack', mailboxes: running.size });
        return { handedBack: true };
      }
      await listener.close();
      await liveness.stop();
      for (const [, entry] of open) entry.store.close();
      open.clear();
      await pool.end();
      await stores.close();
      return { handedBack: false };
    },
  };
}

/** graphile-worker's own log lines, warnings and errors only, as JSON events (no payloads). */
function quietLogger(log: Log): Logger {
  return new QuietLogger(() => (level, message) => {
    if (level === 'error' || level === 'warning') {
      log({ event: 'queue', level, message: message.slice(0, 300) });
    }
  });
}
