import { buildPane, staleReason } from './support/paneBuild';

/** jest globalSetup of the e2e project: build the pane once, only when dist/ is not current. */
export default async function globalSetup(): Promise<void> {
  const reason = staleReason();
  if (reason === null) return;
  process.stderr.write(`\ne2e: building the pane once (${reason})…\n`);
  await buildPane();
}
