/** Extranet sharing of a project with a customer's contact person (SPEC O3) and the contact card. */
import { z } from 'zod';

const flag = (what: string) => z.boolean().describe(what);

export const ExtranetRightsSchema = z
  .strictObject({
    approveHours: flag(
      'May approve the hours. Approval does not affect invoicing: hours can be invoiced either way.',
    ),
    comment: flag('May comment on the project (summary, phases, files and links).'),
    addFilesAndLinks: flag('May add files and links to the project.'),
  })
  .meta({ id: 'ExtranetRights', description: 'What the contact person may do beyond viewing.' });

export const ExtranetSectionsSchema = z
  .strictObject({
    financials: z.strictObject({
      invoicing: flag('Invoicing.'),
      billable: flag('Billable amounts.'),
    }),
    phases: z.strictObject({
      gantt: flag('The Gantt chart.'),
      tree: flag('The phase tree.'),
      hoursWithTimes: flag('Hours, with their start and end times.'),
      estimates: flag('Hour estimates.'),
    }),
    other: z.strictObject({
      status: flag("The project's status."),
      changeStatus: flag('May change the status.'),
      filesAndLinks: flag('Files and links.'),
    }),
  })
  .meta({ id: 'ExtranetSections', description: 'What the contact person may see of the project.' });

export const ExtranetShareWriteSchema = z
  .strictObject({ rights: ExtranetRightsSchema, sections: ExtranetSectionsSchema })
  .meta({
    id: 'ExtranetShareWrite',
    description: 'The whole sharing: rights and visible sections. Takes effect at once.',
  });

export const ExtranetShareSchema = z
  .object({
    projectId: z.string(),
    contactId: z.string(),
    rights: ExtranetRightsSchema,
    sections: ExtranetSectionsSchema,
    invitedAt: z.string().describe('When the invitation with a one-time password was sent.'),
    updatedAt: z.string(),
  })
  .meta({ id: 'ExtranetShare', description: 'A project shared with one contact person.' });

export type ExtranetShareWrite = z.output<typeof ExtranetShareWriteSchema>;
export type ExtranetShare = z.output<typeof ExtranetShareSchema>;

export const ActivitySummarySchema = z
  .object({
    id: z.string(),
    subject: z.string(),
    typeId: z.string(),
    allDay: z.boolean(),
    start: z.string().describe('UTC date-time (`…Z`), or a date for all-day activities.'),
    end: z.string(),
  })
  .meta({ id: 'ActivitySummary', description: 'An activity as a list shows it.' });

export const ContactCardSchema = z
  .object({
    customer: z.object({ id: z.string(), name: z.string() }).nullable(),
    openProjects: z.array(z.object({ id: z.string(), name: z.string(), customerId: z.string() })),
    recentActivities: z
      .array(ActivitySummarySchema)
      .describe('Newest first: activities with the contact that started in the last `days` days.'),
    upcomingActivities: z
      .array(ActivitySummarySchema)
      .describe('Soonest first: activities with the contact starting in the next `days` days.'),
  })
  .meta({
    id: 'ContactCard',
    description:
      "The contact's customer, its open projects and the signed-in user's activities with the " +
      'contact (SPEC O3, issue 7: the card a message from the contact shows).',
  });
