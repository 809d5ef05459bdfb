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
import { run, runMigrations, type Runner } from 'graphile-worker';
import { Pool } from 'pg';
import type { Timing } from '../../sync/scheduler';
import { PostgresStores, withPassword } from '../../sync/store/postgres/database';
import { crmVerifier } from '../api/verifyCaller';
import { ConfigError, type ServiceConfig } from '../config';
import { CrmSignal } from '../crmSignal';
import { NotificationReceiver, SubscriptionManager } from '../graph';
import { listenService } from '../listener';
import { graphAccessFor, openSecrets, readTls, type StartServiceOptions } from '../start';
import { AdvisoryRunLock } from './advisoryRunLock';
import type { ScaleConfig } from './config';
import { Ledger } from './ledger';
import { Liveness } from './liveness';
import { operationsRoutes, WorkerMetrics } from './metrics';
import { OpenMailboxes, PairedMailboxes } from './openMailboxes';
import { POLL_TASK, quietLogger, RENEW_TASK, RunQueue, SYNC_TASK } from './queue';
import { ScaleControl } from './scaleControl';
import { migrateScale } from './schema';
import { PgBudgetCounts } from './sharedBudget';
import { PgSubscriptionRecords } from './subscriptionRecords';
import { renewSubscriptionsTask, safetyPollTask, syncMailboxTask } from './tasks';

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
  const paired = new PairedMailboxes(signal);
  const mailboxes = new OpenMailboxes({
    storeFor: (mailbox) => stores.forMailbox(mailbox),
    graph,
    crmUrl: config.crmUrl,
    crmServiceKey: secrets.crmServiceKey,
    holderId,
    log,
  });

  function enqueueQuietly(mailbox: string, trigger: Parameters<RunQueue['enqueue']>[1]) {
    void queue
      .enqueue(mailbox, trigger)
      .catch((error: Error & { code?: string }) =>
        log({ event: 'enqueueError', mailbox, code: error.code ?? 'unknown' }),
      );
  }

  // ─── The listener ──────────────────────────────────────────────────────────────────────────
  let receiver: NotificationReceiver | null = null;
  const control = new ScaleControl({
    ledger,
    queue,
    isPaired: async (mailbox) => (await paired.of(mailbox)) !== null,
    store: (mailbox) => mailboxes.store(mailbox),
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
    extraRoutes: (app) =>
      operationsRoutes(app, metrics, {
        shuttingDown: () => shuttingDown,
        started: () => runner !== null,
        databaseReachable: () =>
          pool
            .query('SELECT 1')
            .then(() => true)
            .catch(() => false),
      }),
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
  // 0.17 locks jobs and queues with the pool's id, not a worker's (dist/main.js batchGetJobs).
  events.on('pool:create', ({ workerPool }: { workerPool: { id: string } }) =>
    liveness.addWorker(workerPool.id),
  );
  runner = await run({
    pgPool: pool,
    concurrency: scale.concurrency,
    noHandleSignals: true,
    pollInterval: 1_000,
    events: events as never,
    logger: quietLogger(log),
    taskList: {
      [SYNC_TASK]: syncMailboxTask({
        processId,
        ledger,
        queue,
        runLock,
        metrics,
        mailboxes,
        paired,
        log,
      }),
      [POLL_TASK]: safetyPollTask({ pool, ledger, queue, paired, log }),
      [RENEW_TASK]: renewSubscriptionsTask({ subscriptions, records, paired, log }),
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
        // Hand back: the runs in hand close in the log, then their jobs are unlocked for the
        // other workers; the caller exits now, and with this process's connections its advisory
        // locks go (a run lock among them: the next run of the mailbox starts only then).
        await ledger.handBack(processId).catch(() => undefined);
        await pool
          .query('SELECT graphile_worker.force_unlock_workers($1::text[])', [
            liveness.ownWorkerIds(),
          ])
          .catch(() => undefined);
        log({ event: 'handedBack', mailboxes: mailboxes.running.size });
        return { handedBack: true };
      }
      await listener.close();
      await liveness.stop();
      mailboxes.closeAll();
      await pool.end();
      await stores.close();
      return { handedBack: false };
    },
  };
}
