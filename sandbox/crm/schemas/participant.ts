/** Activity participants: the four kinds of SPEC F4, each with the optional flag of SPEC F5. */
import { z } from 'zod';
import { EmailSchema, IdSchema, singleLine } from './text';

const optional = z
  .boolean()
  .default(false)
  .describe('An optional attendee (SPEC F5). Defaults to false.');

export const ParticipantInputSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('user'), userId: IdSchema, optional }),
    z.strictObject({ kind: z.literal('contact'), contactId: IdSchema, optional }),
    z.strictObject({ kind: z.literal('resource'), resourceId: IdSchema, optional }),
    z.strictObject({
      kind: z.literal('external'),
      name: singleLine(255, 'Display name').optional(),
      email: EmailSchema,
      optional,
    }),
  ])
  .meta({
    id: 'ParticipantWrite',
    description:
      'A participant to set: a CRM user, a contact person, a resource (room, equipment) by id, ' +
      'or an external person by e-mail. Users, contacts and resources must exist (else 422).',
  });

const shown = {
  optional: z.boolean(),
  name: z.string().nullable().describe('Display name, resolved by the server.'),
  email: z.string().nullable().describe('E-mail address, if the participant has one.'),
};

export const ParticipantSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('user'), userId: z.string(), ...shown }),
    z.object({ kind: z.literal('contact'), contactId: z.string(), ...shown }),
    z.object({ kind: z.literal('resource'), resourceId: z.string(), ...shown }),
    z.object({ kind: z.literal('external'), ...shown }),
  ])
  .meta({
    id: 'Participant',
    description:
      'A participant as stored: user, contact person, resource or external person, with ' +
      'the name and e-mail the server resolved for display.',
  });

export type ParticipantInput = z.output<typeof ParticipantInputSchema>;
export type Participant = z.output<typeof ParticipantSchema>;
