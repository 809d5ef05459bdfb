/** The CRM adapter's public surface, for the composition root and the task pane. */
export { normaliseCrmAddress } from './address';
export { createCrmActivities, HttpCrmActivities } from './crmActivities';
export { contactFromApi, createCrmContacts, HttpCrmContacts } from './crmContacts';
export {
  CrmContactCard,
  type ActivitySummary,
  type ContactCard,
  type CrmContact,
  type MailActivityInput,
} from './crmContactCard';
export {
  CrmExtranet,
  NO_EXTRANET_ACCESS,
  type ExtranetAccess,
  type ExtranetRights,
  type ExtranetSections,
  type ExtranetShare,
} from './crmExtranet';
export { CrmDirectory, type ContactQuery, type RelationMatches } from './crmDirectory';
export {
  CrmItemActivity,
  type ItemActivity,
  type RelationIds,
  type RelationKind,
  type RelationOption,
} from './crmItemActivity';
export type { ErrorReportInput } from './errorReport';
export { CrmHttp, type CrmAuth, type CrmHttpOptions } from './http';
export { CrmSession, type CrmConnection, type CrmTransport, type SignInInput } from './session';
export type * from './directorySchemas';
