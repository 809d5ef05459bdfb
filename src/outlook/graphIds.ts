/**
 * Office.js names an item by its EWS id, which `convertToRestId` turns into a REST id; the sync
 * store keys events by Graph's immutable ids (`Prefer: IdType="ImmutableId"`, SPEC M2). Graph's
 * translateExchangeIds maps one to the other
 * (https://learn.microsoft.com/graph/api/user-translateexchangeids).
 */
import * as z from 'zod';
import { SyncError } from '../sync/core/errors';
import type { GraphClient } from './graphClient';

const resultSchema = z.object({
  value: z.array(z.object({ sourceId: z.string().nullish(), targetId: z.string().nullish() })),
});

/** The immutable id of the item Office.js names by `restId`. */
export async function immutableIdOf(client: GraphClient, restId: string): Promise<string> {
  const { data } = await client.request({
    method: 'POST',
    path: '/me/translateExchangeIds',
    body: { inputIds: [restId], sourceIdType: 'restId', targetIdType: 'restImmutableEntryId' },
    schema: resultSchema,
  });
  const target = data.value[0]?.targetId;
  if (!target) throw new SyncError('invalidResponse', 'Graph did not translate the item id');
  return target;
}
