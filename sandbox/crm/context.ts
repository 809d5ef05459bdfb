/** Everything a route needs, built once per server by `buildCrmApp`. */
import type { Db } from './db/open';
import type { ActivityStore } from './domain/activityStore';
import type { Clock } from './domain/clock';
import type { ExtranetShares } from './domain/extranetShares';
import type { IdempotencyStore } from './domain/idempotency';
import type { Passwords } from './domain/secrets';
import type { Sessions } from './domain/sessions';
import type { AuthHooks } from './http/auth';
import type { Capabilities } from './schemas/bulk';
import type { FaultInjector } from './sandboxApi/faults';

export interface CrmContext {
  db: Db;
  clock: Clock;
  sessions: Sessions;
  passwords: Passwords;
  activities: ActivityStore;
  idempotency: IdempotencyStore;
  extranet: ExtranetShares;
  auth: AuthHooks;
  faults: FaultInjector;
  /** What GET /capabilities announces; the bulk routes exist only when it offers them. */
  capabilities: Capabilities;
  /** Wipes every table and loads the demo data again (POST /sandbox/reset). */
  reset(): Promise<void>;
}
