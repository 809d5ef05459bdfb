import { SHARED_CHROMIUM_ENV } from './support/browser';
import { takeSharedChromium } from './support/sharedChromium';

/** jest globalTeardown of the e2e project: stops the Chromium the global setup started. */
export default async function globalTeardown(): Promise<void> {
  delete process.env[SHARED_CHROMIUM_ENV];
  await takeSharedChromium()?.close();
}
