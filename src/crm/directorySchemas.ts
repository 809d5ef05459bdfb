/** zod schemas for the pane's directory reads (crmDirectory.ts); checked in schemaChecks.ts. */
import * as z from 'zod';

const Str = z.string();
const Language = z.enum(['en', 'fi', 'sv', 'it', 'de']);

export const CompanySchema = z.object({
  id: Str,
  name: Str,
  syncEnabled: z.boolean(),
  // Issue 17: where the company runs its always-on sync service; a CRM from before it: none.
  syncService: z.object({ url: Str }).nullable().default(null),
});

const userShape = {
  id: Str,
  displayName: Str,
  email: Str,
  aliases: z.array(Str),
  language: Language,
  timeZone: Str,
};
export const UserSchema = z.object(userShape);
export const MeSchema = z.object({ ...userShape, company: CompanySchema });

export const ActivityTypeSchema = z.object({
  id: Str,
  name: Str,
  names: z.object({ en: Str, fi: Str, sv: Str, it: Str, de: Str }),
  personal: z.boolean(),
});

export const ContactSchema = z.object({
  id: Str,
  etag: Str,
  version: z.int(),
  customerId: Str.nullable(),
  firstName: Str,
  lastName: Str,
  email: Str.nullable(),
  phone: Str.nullable(),
  title: Str.nullable(),
  archived: z.boolean(),
  syncToOutlook: z.boolean(),
  updatedAt: Str,
});

export const ResourceSchema = z.object({
  id: Str,
  name: Str,
  kind: z.enum(['room', 'equipment', 'vehicle', 'other']),
  email: Str.nullable(),
  capacity: z.int().nullable(),
});

export const CustomerSchema = z.object({ id: Str, name: Str });
export const ProjectSchema = z.object({ id: Str, name: Str, customerId: Str });
export const SalesCaseSchema = z.object({ id: Str, name: Str, customerId: Str });
export const PairingSchema = z.object({ mailbox: Str, userId: Str, pairedAt: Str });
export const ErrorReportAcceptedSchema = z.object({ id: Str });

/** `{ items: [...] }`, the shape of every list response. */
export const itemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
export const ContactPageSchema = z.object({ items: z.array(ContactSchema), hasMore: z.boolean() });

/** SPEC K2: GET /contacts/changes, the contacts' change feed. */
export const ContactChangeSchema = z.discriminatedUnion('deleted', [
  z.object({ id: Str, deleted: z.literal(false), changedAt: Str, contact: ContactSchema }),
  z.object({ id: Str, deleted: z.literal(true), changedAt: Str }),
]);
export const ContactChangePageSchema = z.object({
  items: z.array(ContactChangeSchema),
  nextCursor: Str,
  hasMore: z.boolean(),
});

export type Me = z.infer<typeof MeSchema>;
export type CrmUser = z.infer<typeof UserSchema>;
export type ActivityType = z.infer<typeof ActivityTypeSchema>;
export type Contact = z.infer<typeof ContactSchema>;
export type Resource = z.infer<typeof ResourceSchema>;
export type Customer = z.infer<typeof CustomerSchema>;
export type Project = z.infer<typeof ProjectSchema>;
export type SalesCase = z.infer<typeof SalesCaseSchema>;
export type Pairing = z.infer<typeof PairingSchema>;
export type Company = z.infer<typeof CompanySchema>;
export type Language = z.infer<typeof Language>;
