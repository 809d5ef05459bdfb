/**
 * The data the pane's views show, as the services hand it to them. Components import these from
 * here, never from an adapter (src/crm, src/outlook), the store or the engine: the linter holds
 * that boundary (eslint.config.mjs, "pane components"), and the services are what connects the
 * views to the adapters. Type re-exports cost nothing in the bundle.
 */
export type {
  ActivitySummary,
  ActivityType,
  ContactCard,
  CrmContact,
  ExtranetAccess,
  ExtranetRights,
  ExtranetSections,
  RelationIds,
  RelationKind,
  RelationOption,
} from '../crm';
export type { PreviewItem, SyncPreview } from '../sync/engine/preview';
export type { AskedBrake } from '../sync/engine/run';
export type { HeldItem } from '../sync/core/plan/brake';
export type { SchedulerSnapshot } from '../sync/scheduler';
/** Nothing shared: how the message view starts before the CRM answered (SPEC O3). */
export { NO_EXTRANET_ACCESS } from '../crm/crmExtranet';
