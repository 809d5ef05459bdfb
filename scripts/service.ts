/**
 * `npm run service`: the always-on sync service (issue 17) — see docs/DEPLOY.md. One listener
 * (the pane's control API and Graph's change notifications); configuration from the environment
 * (src/service/config.ts); one JSON line per event on stdout (mailboxes,
 * states, counts, error codes — never a key, a token or an item's content).
 *
 *   npm run service                 run it (SIGINT/SIGTERM stop it after the runs under way)
 *   npm run service -- new-key      print a new sealing key (base64, 32 bytes)
 *   npm run service -- seal         read the secrets as JSON on stdin, print the sealed document
 *                                   (SYNC_SERVICE_SEALING_KEY must be set)
 */
import { loadConfig, ConfigError } from '../src/service/config';
import { newSealingKey, seal, sealingKeyFrom, SealingError } from '../src/service/sealing';
import { startService } from '../src/service/start';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function log(event: Readonly<Record<string, unknown>>): void {
  console.log(JSON.stringify({ at: new Date().toISOString(), ...event }));
}

async function main(): Promise<number> {
  const command = process.argv[2];
  if (command === 'new-key') {
    console.log(newSealingKey());
    return 0;
  }
  if (command === 'seal') {
    const key = process.env.SYNC_SERVICE_SEALING_KEY;
    if (!key) throw new ConfigError('SYNC_SERVICE_SEALING_KEY is required');
    console.log(seal(JSON.parse(await readStdin()) as never, sealingKeyFrom(key)));
    return 0;
  }
  if (command !== undefined) throw new ConfigError(`Unknown command "${command}"`);
  const config = loadConfig();
  const running = await startService(config, { log });
  // The listener's address (the control API and Graph's notifications): no secret in it.
  log({
    event: 'started',
    mailboxes: running.service.mailboxIds().length,
    sandbox: config.sandbox,
    store: config.store ?? 'sqlite',
    url: running.url,
    notificationUrl: running.notificationUrl,
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.stop();
  log({ event: 'stopped' });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Config and sealing errors name fields, never values; anything else by its message only.
    const known = error instanceof ConfigError || error instanceof SealingError;
    console.error(known ? error.message : `The service stopped: ${(error as Error).message}`);
    process.exit(known ? 2 : 1);
  },
);
