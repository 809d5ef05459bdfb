/**
 * How the tests start the reference CRM server: the sandbox configuration, asked for explicitly
 * (its /sandbox controls and the demo company with public keys; a server is a vendor's without
 * it), and a cheap scrypt cost so that each sign-in takes milliseconds, not OWASP's ~0.3 s and
 * 128 MiB. The default cost is exercised by test/integration/crm/suites/hardening.ts.
 */
import type { CrmServerOptions } from '../../sandbox/crm';

export const TEST_CRM = {
  sandbox: true,
  passwordCost: { N: 1024, r: 8, p: 1 },
} satisfies Partial<CrmServerOptions>;
