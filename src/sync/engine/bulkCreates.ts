/**
 * Issue 16, item 3: where the CRM offers a bulk create (`CrmActivities.bulkCreates`), a run's
 * creates in the CRM go out a chunk at a time (`createMany`) when the apply loop reaches the first
 * create of the chunk; otherwise each create is the single call, as before. Each
 * create's intent is stored before its chunk is sent (the outbox's rule, ./kind.ts
 * createThroughOutbox), so a run that ends in between leaves intents that the next run's replay
 * finishes under the same keys. The loop's own create then answers from what the chunk brought
 * back, exactly as the single call would have (its value, or its error thrown as it was).
 */
import type { Operation } from '../core/plan/types';
import type { CrmActivities, CrmActivity, CrmActivityInput } from '../ports';
import type { ItemOutcome } from '../itemPorts';
import type { EngineDeps } from './context';

/** Creates per chunk: the contract's largest bulk call. */
export const CREATE_CHUNK = 100;

type CrmCreate = Operation & { readonly op: 'createInCrm' };

/** `deps.crm`, whose `create` answers from chunks sent ahead (unchanged when nothing to batch). */
export function precreatingCrm(deps: EngineDeps, operations: readonly Operation[]): CrmActivities {
  const { crm, store } = deps;
  const creates = operations.filter((op): op is CrmCreate => op.op === 'createInCrm');
  if (crm.createMany === undefined || crm.bulkCreates === undefined || creates.length < 2) {
    return crm;
  }
  const createMany = crm.createMany.bind(crm);
  const bulkCreates = crm.bulkCreates.bind(crm);
  // Asked at the first create (the lease is held by then): without bulk creates, gathering them
  // would only move the single calls ahead of their links, past the run's deadline checks.
  let gathering: Promise<boolean> | null = null;
  const position = new Map(creates.map((op, index) => [op.idempotencyKey, index]));
  const answers = new Map<string, ItemOutcome<CrmActivity>>();
  const sent = new Set<string>();
  /** The chunk under way for each key sent: creates applied side by side (kind.ts) share it. */
  const inFlight = new Map<string, Promise<void>>();

  const sendChunkFrom = (start: number): Promise<void> => {
    const chunk = creates
      .slice(start, start + CREATE_CHUNK)
      .filter((op) => !sent.has(op.idempotencyKey));
    for (const op of chunk) sent.add(op.idempotencyKey);
    const sending = (async () => {
      // Side by side: a store that commits writes in groups (Dexie's) stores the chunk's intents
      // in one transaction; every one is stored before the chunk is sent.
      await Promise.all(
        chunk.map((op) =>
          store.addIntent({
            key: op.idempotencyKey,
            operation: op,
            createdAt: deps.clock(),
            attempts: 0,
          }),
        ),
      );
      const outcomes = await createMany(
        chunk.map((op) => ({ input: op.input, idempotencyKey: op.idempotencyKey })),
      );
      chunk.forEach((op, index) => {
        const outcome = outcomes[index];
        if (outcome) answers.set(op.idempotencyKey, outcome);
      });
    })();
    // Each create of the chunk awaits it (and so hears its failure); one never applied (the run
    // stopped first) must not leave the failure unheard.
    sending.catch(() => undefined);
    for (const op of chunk) inFlight.set(op.idempotencyKey, sending);
    return sending;
  };

  const create = async (
    input: CrmActivityInput,
    options: { readonly idempotencyKey: string },
  ): Promise<CrmActivity> => {
    const key = options.idempotencyKey;
    const at = position.get(key);
    if (at !== undefined && (await (gathering ??= bulkCreates()))) {
      const sending = inFlight.get(key) ?? (sent.has(key) ? undefined : sendChunkFrom(at));
      inFlight.delete(key);
      if (sending) await sending;
    }
    const answer = answers.get(key);
    answers.delete(key); // answered once: a later create of the key asks the CRM (it replays)
    if (answer === undefined) return crm.create(input, options);
    if (answer.ok) return answer.value;
    throw answer.error;
  };
  // Every other method is the adapter's own (looked up on it, called on it).
  return new Proxy(crm, {
    get: (target, property) => {
      if (property === 'create') return create;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
