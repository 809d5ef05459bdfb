/**
 * `npm run worker`: one scale-out sync worker (issue 18) — see docs/DEPLOY.md "N workers against
 * one PostgreSQL". The service's configuration (src/service/config.ts: CRM, Graph, listener,
 * secrets) plus the worker's (src/service/scale/config.ts: SYNC_SCALE_DATABASE_URL, …); one JSON
 * line per event on stdout (mailboxes, states, counts, codes — never a key, a token, a password
 * or an item's content).
 *
 * SIGTERM/SIGINT: stop taking jobs, let the runs in hand finish within SYNC_SCALE_SHUTDOWN_SECONDS
 * (default 25), hand back what is left, exit 0.
 */
import { ConfigError, loadConfig } from '../src/service/config';
import { loadScaleConfig } from '../src/service/scale/config';
import { startWorker } from '../src/service/scale/worker';
import { SealingError } from '../src/service/sealing';

function log(event: Readonly<Record<string, unknown>>): void {
  console.log(JSON.stringify({ at: new Date().toISOString(), ...event }));
}

async function main(): Promise<number> {
  const config = loadConfig();
  const scale = loadScaleConfig();
  const worker = await startWorker(config, scale, { log });
  log({ event: 'started', url: worker.url, notificationUrl: worker.notificationUrl });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log({ event: 'stopping' });
  const { handedBack } = await worker.stop();
  log({ event: 'stopped', handedBack });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof ConfigError || error instanceof SealingError;
    console.error(known ? error.message : `The worker stopped: ${(error as Error).message}`);
    process.exit(known ? 2 : 1);
  },
);
