/**
 * Graph's writable `contact` properties (https://learn.microsoft.com/graph/api/resources/contact,
 * @microsoft/microsoft-graph-types Contact). Unknown properties are a 400, as on Graph.
 */
import { z } from 'zod';
import { extendedPropertySchema } from './schemas';

const text = (max = 255) => z.string().max(max).nullish();
const emailAddressSchema = z.strictObject({
  address: z.string().max(320).nullish(),
  name: z.string().max(255).nullish(),
});
const physicalAddressSchema = z.strictObject({
  street: text(),
  city: text(),
  state: text(),
  countryOrRegion: text(),
  postalCode: text(),
});

const fields = {
  givenName: text(),
  surname: text(),
  middleName: text(),
  nickName: text(),
  displayName: text(),
  title: text(),
  initials: text(),
  generation: text(),
  fileAs: text(),
  jobTitle: text(),
  companyName: text(),
  department: text(),
  officeLocation: text(),
  profession: text(),
  manager: text(),
  assistantName: text(),
  spouseName: text(),
  businessHomePage: text(2048),
  personalNotes: z.string().max(32_000).nullish(),
  birthday: z.iso.datetime({ offset: true }).nullish(),
  mobilePhone: text(),
  // Outlook keeps at most three e-mail addresses on a contact.
  emailAddresses: z.array(emailAddressSchema).max(3).nullish(),
  businessPhones: z.array(z.string().max(255)).max(2).nullish(),
  homePhones: z.array(z.string().max(255)).max(2).nullish(),
  imAddresses: z.array(z.string().max(255)).max(3).nullish(),
  children: z.array(z.string().max(255)).nullish(),
  categories: z.array(z.string().max(255)).nullish(),
  homeAddress: physicalAddressSchema.nullish(),
  businessAddress: physicalAddressSchema.nullish(),
  otherAddress: physicalAddressSchema.nullish(),
};

const writable = {
  ...fields,
  /** Echoed back from a GET: ignored (a contact moves only by the move action). */
  parentFolderId: z.string().nullish(),
  singleValueExtendedProperties: z.array(extendedPropertySchema).nullish(),
};

export const createContactSchema = z.strictObject(writable);
export const patchContactSchema = z.strictObject(writable).partial();
export type ContactInput = z.infer<typeof createContactSchema>;

export const contactFieldsSchema = z.object(fields);
export type ContactFields = z.infer<typeof contactFieldsSchema>;
export const CONTACT_FIELD_NAMES = Object.keys(fields) as (keyof ContactFields)[];

export const createContactFolderSchema = z.strictObject({
  displayName: z.string().min(1).max(255),
  parentFolderId: z.string().nullish(),
});
