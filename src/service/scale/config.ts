/**
 * The scale-out worker's own settings (issue 18), beside the service's (../config.ts: the CRM,
 * Graph, the listener, the secrets, and the PostgreSQL database: `store: postgres`, whose
 * database also holds the queue, the run log and the shared budgets), from the environment,
 * checked by zod with a message per field.
 */
import * as z from 'zod';
import { ConfigError } from '../config';

export const ScaleConfigSchema = z.strictObject({
  /** Mailbox runs this worker runs at once (each its own mailbox). */
  concurrency: z.coerce.number().int().min(1).max(64),
  /** On SIGTERM: how long the runs in hand may take to finish before they are handed back. */
  shutdownSeconds: z.coerce.number().int().min(1).max(600),
  /** How often this worker looks for dead workers (and their jobs) and refreshes what it shares. */
  sweepMs: z.coerce.number().int().min(200).max(60_000),
  /** A burst of signals for one mailbox within this window is one run. */
  debounceMs: z.coerce.number().int().min(0).max(60_000),
  /** A failed run is tried again after this, doubled for each failure in a row (at most 6 h). */
  retryBaseMs: z.coerce.number().int().min(10).max(3_600_000),
  /** When the safety poll and the renewals run (cron, UTC; graphile-worker's crontab). */
  pollCron: z.string().min(9),
});
export type ScaleConfig = z.infer<typeof ScaleConfigSchema>;

const DEFAULTS = {
  concurrency: 4,
  shutdownSeconds: 25,
  sweepMs: 2_000,
  debounceMs: 500,
  retryBaseMs: 5_000,
  // SPEC S2: every mailbox at least every 5 minutes.
  pollCron: '*/5 * * * *',
} as const;

const ENV: Record<keyof ScaleConfig, string> = {
  concurrency: 'SYNC_SCALE_CONCURRENCY',
  shutdownSeconds: 'SYNC_SCALE_SHUTDOWN_SECONDS',
  sweepMs: 'SYNC_SCALE_SWEEP_MS',
  debounceMs: 'SYNC_SCALE_DEBOUNCE_MS',
  retryBaseMs: 'SYNC_SCALE_RETRY_BASE_MS',
  pollCron: 'SYNC_SCALE_POLL_CRON',
};

export function loadScaleConfig(env: NodeJS.ProcessEnv = process.env): ScaleConfig {
  const fromEnv: Record<string, unknown> = {};
  for (const [field, name] of Object.entries(ENV)) {
    const value = env[name];
    if (value !== undefined && value !== '') fromEnv[field] = value;
  }
  const parsed = ScaleConfigSchema.safeParse({ ...DEFAULTS, ...fromEnv });
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues
        .map((issue) => {
          const field = issue.path.join('.') as keyof ScaleConfig;
          return `${field} [${ENV[field]}]: ${issue.message}`;
        })
        .join('\n'),
    );
  }
  return parsed.data;
}
