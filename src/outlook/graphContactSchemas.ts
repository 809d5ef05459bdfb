/**
 * zod schemas for the Graph contact responses the contacts adapter reads
 * (https://learn.microsoft.com/graph/api/resources/contact), checked at compile time against
 * @microsoft/microsoft-graph-types. Only the fields we sync are read; the rest pass through.
 */
import type { Contact, ContactFolder } from '@microsoft/microsoft-graph-types';
import * as z from 'zod';

export const graphContactSchema = z.object({
  id: z.string().min(1),
  '@odata.etag': z.string().nullish(),
  changeKey: z.string().nullish(),
  lastModifiedDateTime: z.string().nullish(),
  parentFolderId: z.string().nullish(),
  givenName: z.string().nullish(),
  surname: z.string().nullish(),
  displayName: z.string().nullish(),
  jobTitle: z.string().nullish(),
  companyName: z.string().nullish(),
  mobilePhone: z.string().nullish(),
  businessPhones: z.array(z.string()).nullish(),
  emailAddresses: z
    .array(z.object({ address: z.string().nullish(), name: z.string().nullish() }))
    .nullish(),
  singleValueExtendedProperties: z
    .array(z.object({ id: z.string(), value: z.string().nullish() }))
    .nullish(),
});
export type GraphContact = z.infer<typeof graphContactSchema>;

export const contactPageSchema = z.object({
  value: z.array(graphContactSchema),
  '@odata.nextLink': z.string().nullish(),
});

export type ContactPage = z.infer<typeof contactPageSchema>;

export const contactFolderSchema = z.object({
  id: z.string().min(1),
  displayName: z.string().nullish(),
  parentFolderId: z.string().nullish(),
});
export const contactFolderPageSchema = z.object({
  value: z.array(contactFolderSchema),
  '@odata.nextLink': z.string().nullish(),
});

/** A delta page: entries are read one by one (a contact, or `@removed`). */
export const contactDeltaPageSchema = z.object({
  value: z.array(z.unknown()),
  '@odata.nextLink': z.string().nullish(),
  '@odata.deltaLink': z.string().nullish(),
});
export type ContactDeltaPage = z.infer<typeof contactDeltaPageSchema>;
export const removedContactSchema = z.object({
  id: z.string().min(1),
  '@removed': z.object({ reason: z.string().nullish() }),
});

/** The `$select=id&$expand=…` read of the CRM stamp after a delta page. */
export const contactStampSchema = graphContactSchema.pick({
  id: true,
  singleValueExtendedProperties: true,
});

type Assignable<T, U extends T> = U;
export type _checkContact = Assignable<Contact, Omit<GraphContact, '@odata.etag'>>;
export type _checkContactFolder = Assignable<ContactFolder, z.infer<typeof contactFolderSchema>>;
