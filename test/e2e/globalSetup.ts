import { launchChromiumServer, SHARED_CHROMIUM_ENV } from './support/browser';
import { buildPane, staleReason } from './support/paneBuild';
import { setSharedChromium } from './support/sharedChromium';

/**
 * jest globalSetup of the e2e project: build the pane once, only when dist/ is not current; start
 * the run's one Chromium, which every browser suite connects to (globalTeardown.ts stops it).
 */
export default async function globalSetup(): Promise<void> {
  const reason = staleReason();
  if (reason !== null) {
    process.stderr.write(`\ne2e: building the pane once (${reason})…\n`);
    await buildPane();
  }
  const server = await launchChromiumServer();
  setSharedChromium(server);
  // The workers start after the global setup and inherit this environment.
  process.env[SHARED_CHROMIUM_ENV] = server.wsEndpoint();
}
