/**
 * The service bench's servers (test/bench/service.bench.ts): both sandbox servers in a process of
 * their own, the Graph emulator with its Entra stand-in and demo application (the service reaches
 * it as in production, MSAL Node's client credentials). Prints one JSON line `{crmUrl, graphUrl,
 * authority: {url, caCertificate}}` once listening; stops when its parent closes its stdin.
 */
import { startLiveServers } from '../support/liveServers';

async function main(): Promise<void> {
  const { servers, close } = await startLiveServers();
  const stop = () => {
    void close().finally(() => process.exit(0));
  };
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
  process.stdout.write(`${JSON.stringify(servers)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
