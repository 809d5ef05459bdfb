/**
 * Compile-time proof that what the zod schemas accept is what the contract describes: each
 * zod-inferred type must be assignable to the type openapi-typescript generated from
 * docs/crm-sync-api.yaml. `npm run typecheck` fails here when the two drift apart.
 */
import type * as z from 'zod';
import type { components, operations } from './generated/crm-sync-api';
import type * as D from './directorySchemas';
import type * as I from './crmItemActivity';
import type * as K from './crmContactCard';
import type * as X from './crmExtranet';
import type * as S from './schemas';

type Schemas = components['schemas'];
type Ok<A extends B, B> = [A, B];
type Out<T extends z.ZodType> = z.infer<T>;
type Json200<Op extends keyof operations> = operations[Op]['responses'] extends {
  200: { content: { 'application/json': infer B } };
}
  ? B
  : never;

export type SchemaChecks = [
  Ok<Out<typeof K.ContactCardSchema>, Schemas['ContactCard']>,
  Ok<Out<typeof K.ActivitySummarySchema>, Schemas['ActivitySummary']>,
  Ok<Out<typeof X.ExtranetShareSchema>, Schemas['ExtranetShare']>,
  Ok<Out<typeof X.ExtranetSharePageSchema>, Json200<'listExtranetShares'>>,
  Ok<X.ExtranetAccess, Schemas['ExtranetShareWrite']>,
  Ok<Out<typeof S.ActivitySchema>, Schemas['Activity']>,
  Ok<Out<typeof S.ParticipantSchema>, Schemas['Participant']>,
  Ok<Out<typeof S.RecurrenceSchema>, Schemas['Recurrence']>,
  Ok<Out<typeof S.ActivityChangeSchema>, Schemas['ActivityChange']>,
  Ok<Out<typeof S.ActivityChangePageSchema>, Schemas['ActivityChangePage']>,
  Ok<Out<typeof S.ActivityListSchema>, Json200<'listActivities'>>,
  Ok<Out<typeof S.SyncLeaseSchema>, Schemas['SyncLease']>,
  Ok<Out<typeof S.SessionTokensSchema>, Schemas['SessionTokens']>,
  Ok<Out<typeof S.ProblemSchema>, Schemas['Problem']>,
  Ok<Out<typeof S.ActivityConflictProblemSchema>, Schemas['ActivityConflictProblem']>,
  Ok<Out<typeof S.LeaseConflictProblemSchema>, Schemas['LeaseConflictProblem']>,
  Ok<Out<typeof S.MailboxMismatchProblemSchema>, Schemas['MailboxMismatchProblem']>,
  Ok<Out<typeof S.CapabilitiesSchema>, Schemas['Capabilities']>,
  Ok<Out<typeof S.BulkResultSchema>, Schemas['ActivityBulkResult']>,
  Ok<Out<typeof D.CompanySchema>, Schemas['Company']>,
  Ok<Out<typeof D.UserSchema>, Schemas['User']>,
  Ok<Out<typeof D.MeSchema>, Schemas['Me']>,
  Ok<Out<typeof D.ActivityTypeSchema>, Schemas['ActivityType']>,
  Ok<Out<typeof D.ContactSchema>, Schemas['Contact']>,
  Ok<Out<typeof D.ContactChangeSchema>, Schemas['ContactChange']>,
  Ok<Out<typeof D.ContactChangePageSchema>, Schemas['ContactChangePage']>,
  Ok<Out<typeof D.ContactPageSchema>, Json200<'listContacts'>>,
  Ok<Out<typeof D.ResourceSchema>, Schemas['Resource']>,
  Ok<Out<typeof D.CustomerSchema>, Schemas['Customer']>,
  Ok<Out<typeof D.ProjectSchema>, Schemas['Project']>,
  Ok<Out<typeof D.SalesCaseSchema>, Schemas['SalesCase']>,
  Ok<Out<typeof D.PairingSchema>, Schemas['Pairing']>,
  Ok<
    Out<typeof I.ItemActivitySchema>,
    Pick<Schemas['Activity'], keyof Out<typeof I.ItemActivitySchema>>
  >,
];
