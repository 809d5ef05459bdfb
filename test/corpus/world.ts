/**
 * One engine over the real sandbox servers (test/support/twoSides.ts), each behind a rewriting
 * proxy that shows registered records tampered: the corpus runner seeds both sides, runs the sync
 * and reads both servers directly to see what became of every item.
 */
import type { EngineDeps } from '../../src/sync/engine/context';
import { byId, type RewritingProxy } from '../support/rewritingProxy';
import { startTwoSides } from '../support/twoSides';
import type { JsonObject } from './types';

export { MAILBOX, NOW, slot } from '../support/twoSides';

/** A rewriting proxy that shows each registered object (by id) as its function makes it. */
export interface TamperProxy extends RewritingProxy {
  /** Object id → how answers show that object. */
  readonly tamper: Map<string, (value: JsonObject) => JsonObject>;
}

export interface World {
  readonly deps: EngineDeps;
  readonly crmUrl: string;
  readonly graphUrl: string;
  readonly crmProxy: TamperProxy;
  readonly graphProxy: TamperProxy;
  /** Direct to the Graph emulator (never through the proxy). */
  graph(method: string, path: string, body?: unknown): Promise<JsonObject>;
  /** Direct to the CRM server as the signed-in user (never through the proxy). */
  crm(method: string, path: string, body?: unknown): Promise<JsonObject>;
  close(): Promise<void>;
}

function tampering(proxy: RewritingProxy | undefined): TamperProxy {
  if (!proxy) throw new Error('the corpus world runs behind proxies');
  const tamper = new Map<string, (value: JsonObject) => JsonObject>();
  proxy.rewrite = byId(tamper);
  return Object.assign(proxy, { tamper });
}

let worlds = 0;

export async function startWorld(): Promise<World> {
  worlds += 1;
  const sides = await startTwoSides({
    name: `corpus-${worlds}`,
    proxy: { crm: null, graph: null },
  });
  let keys = 0;
  return {
    deps: sides.deps,
    crmUrl: sides.crmUrl,
    graphUrl: sides.graphUrl,
    crmProxy: tampering(sides.crmProxy),
    graphProxy: tampering(sides.graphProxy),
    graph: (method, path, body) => sides.graph<JsonObject>(method, path, body),
    crm: (method, path, body) =>
      sides.crm<JsonObject>(
        method,
        path,
        body,
        method === 'POST' ? { 'idempotency-key': `corpus-seed-${(keys += 1)}` } : {},
      ),
    close: () => sides.close(),
  };
}
