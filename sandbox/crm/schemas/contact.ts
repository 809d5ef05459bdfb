/** Contact person schemas (SPEC K1–K3). */
import { z } from 'zod';
import { EmailSchema, IdSchema, singleLine } from './text';

const PhoneSchema = z
  .string()
  .regex(/^\+?[0-9 ()./-]{3,40}$/)
  .describe('A phone number: digits, spaces and + ( ) . / - only; 3–40 characters.');

const fields = {
  customerId: IdSchema.nullable().describe('The customer the person works for, if any.'),
  firstName: singleLine(100, 'First name'),
  lastName: singleLine(100, 'Last name'),
  email: EmailSchema.nullable(),
  phone: PhoneSchema.nullable(),
  title: singleLine(100, 'Job title').nullable(),
  syncToOutlook: z
    .boolean()
    .describe("The signed-in user's own mark: sync this contact to their Outlook (SPEC K2)."),
};

export const ContactCreateSchema = z
  .strictObject({
    ...fields,
    customerId: fields.customerId.default(null),
    email: fields.email.default(null),
    phone: fields.phone.default(null),
    title: fields.title.default(null),
    syncToOutlook: fields.syncToOutlook.default(false),
  })
  .meta({ id: 'ContactCreate', description: 'A new contact person.' });

export const ContactPatchSchema = z
  .strictObject({
    customerId: fields.customerId.optional(),
    firstName: fields.firstName.optional(),
    lastName: fields.lastName.optional(),
    email: fields.email.optional(),
    phone: fields.phone.optional(),
    title: fields.title.optional(),
    syncToOutlook: fields.syncToOutlook.optional(),
  })
  .meta({ id: 'ContactPatch', description: 'Fields to change; absent fields stay.' });

export type ContactWrite = z.output<typeof ContactCreateSchema>;

export const ContactSchema = z
  .object({
    id: z.string(),
    etag: z.string().describe('The strong ETag of this version; send it as If-Match.'),
    version: z.int(),
    customerId: z.string().nullable(),
    firstName: z.string(),
    lastName: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    title: z.string().nullable(),
    archived: z.boolean().describe('Archived contacts are hidden from lists by default.'),
    syncToOutlook: z.boolean().describe('Marked by the signed-in user for Outlook (SPEC K2).'),
    updatedAt: z.string(),
  })
  .meta({ id: 'Contact', description: "A customer's contact person." });

export type Contact = z.output<typeof ContactSchema>;
