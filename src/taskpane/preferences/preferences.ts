/**
 * What the person sets in Preferences (SPEC W1–W2, T1–T3, P1, L1–L2, C4, K1, E5, O1), as one
 * zod-checked value. It lives in roaming settings, so it crosses Outlook clients, versions of the
 * add-in and the panes it is open in: everything read back is checked, never trusted.
 *
 * No React and no Office here: the ribbon's commands runtime imports this file too.
 */
import * as z from 'zod';
import { supportedLanguages } from '../../i18n/languages';
import { DEFAULT_DIRECTION } from '../../sync/core/settings';

/** SPEC W1 and W2: the limits the form enforces and explains. */
export const limits = {
  daysBack: { min: 0, max: 60 },
  daysAhead: { min: 0, max: 365 },
} as const;

const Language = z.enum(supportedLanguages);
/** T1/T2: 'all' (also types the CRM adds later) or exactly these type ids; [] = none. */
const TypeList = z.union([z.literal('all'), z.array(z.string().min(1)).max(200)]);

export const DirectionPreferencesSchema = z.object({
  daysBack: z.int().min(limits.daysBack.min).max(limits.daysBack.max),
  daysAhead: z.int().min(limits.daysAhead.min).max(limits.daysAhead.max),
  createTypes: TypeList,
  editTypes: TypeList,
});

export const PrivateModeSchema = z.enum(['full', 'busy', 'skip']);
export const ConflictPolicySchema = z.enum(['newest-wins', 'outlook-wins', 'crm-wins']);
/** SPEC K2: contact sync off, two-way, or one-way CRM → Outlook (only contacts marked for me). */
export const ContactSyncSchema = z.enum(['off', 'twoWay', 'crmToOutlook']);

/** The switches under "Calendar options". */
export const OptionsSchema = z.object({
  /** SPEC S5: sync starts by itself after sign-in. */
  syncAutomatically: z.boolean(),
  /** SPEC C4: sign in as soon as the add-in loads (needs a remembered sign-in, C3). */
  signInAutomatically: z.boolean(),
  /** SPEC K1: CRM contact people linked to synced activities go to the address book. */
  addContactsToAddressBook: z.boolean(),
  /** SPEC E5: opt-in, without the content of appointments. */
  sendErrorReports: z.boolean(),
  /** SPEC O1: show the customer's relations by default. */
  showRelationsByDefault: z.boolean(),
});

export const PreferencesSchema = z.object({
  outlookToCrm: DirectionPreferencesSchema,
  crmToOutlook: DirectionPreferencesSchema,
  /**
   * SPEC T3: a type id; null = "ask me each time" (the item waits for a type). Left out until the
   * person chooses: the sync then takes the CRM's "Meeting" (pickDefaultTypeId).
   */
  defaultTypeId: z.string().min(1).nullable().optional(),
  privateMode: PrivateModeSchema,
  /** SPEC L1: the application language. */
  language: Language,
  /** SPEC L2: the language of CRM picklists; null = the application language. */
  picklistLanguage: Language.nullable(),
  options: OptionsSchema,
  conflictPolicy: ConflictPolicySchema,
  contactSync: ContactSyncSchema,
});

export type DirectionPreferences = z.infer<typeof DirectionPreferencesSchema>;
export type TypeList = z.infer<typeof TypeList>;
export type Options = z.infer<typeof OptionsSchema>;
export type OptionKey = keyof Options;
export type Preferences = z.infer<typeof PreferencesSchema>;
export type SupportedPrivateMode = z.infer<typeof PrivateModeSchema>;
export type ContactSync = z.infer<typeof ContactSyncSchema>;

const defaultDirection: DirectionPreferences = {
  daysBack: DEFAULT_DIRECTION.daysBack,
  daysAhead: DEFAULT_DIRECTION.daysAhead,
  createTypes: 'all', // SPEC T1: all by default
  editTypes: 'all',
};

export const defaultOptions: Options = {
  syncAutomatically: true, // SPEC S5
  signInAutomatically: false, // C4 is optional, and needs "Remember my sign-in" (C3)
  addContactsToAddressBook: true, // SPEC K1
  sendErrorReports: false, // SPEC E5: opt-in
  showRelationsByDefault: false,
};

/** The preferences of someone who never saved any, in the given application language. */
export function defaultPreferences(language: Preferences['language']): Preferences {
  return {
    outlookToCrm: defaultDirection,
    crmToOutlook: defaultDirection,
    privateMode: 'full', // P1: private items travel as the CRM's personal type
    language,
    picklistLanguage: null,
    options: defaultOptions,
    conflictPolicy: 'newest-wins',
    // SPEC K2 is opt-in: turning it on makes a contact folder and may write the CRM.
    contactSync: 'off',
  };
}

/**
 * Reads a stored value field by field: whatever is missing or invalid (a hand-edited setting, an
 * older or newer add-in) takes its default, and the rest is kept. Never throws.
 */
export function parseStoredPreferences(
  raw: unknown,
  language: Preferences['language'],
): Preferences {
  const fallback = defaultPreferences(language);
  const record = asRecord(raw);
  const pick = <T>(schema: z.ZodType<T>, value: unknown, otherwise: T): T => {
    const parsed = schema.safeParse(value);
    return parsed.success ? parsed.data : otherwise;
  };
  const direction = (value: unknown, otherwise: DirectionPreferences): DirectionPreferences => {
    const d = asRecord(value);
    const shape = DirectionPreferencesSchema.shape;
    return {
      daysBack: pick(shape.daysBack, d.daysBack, otherwise.daysBack),
      daysAhead: pick(shape.daysAhead, d.daysAhead, otherwise.daysAhead),
      createTypes: pick(shape.createTypes, d.createTypes, otherwise.createTypes),
      editTypes: pick(shape.editTypes, d.editTypes, otherwise.editTypes),
    };
  };
  const storedOptions = asRecord(record.options);
  const options = Object.fromEntries(
    Object.entries(fallback.options).map(([key, otherwise]) => [
      key,
      pick(z.boolean(), storedOptions[key], otherwise),
    ]),
  ) as Options;
  const defaultTypeId = pick(
    PreferencesSchema.shape.defaultTypeId,
    record.defaultTypeId,
    undefined,
  );
  return {
    outlookToCrm: direction(record.outlookToCrm, fallback.outlookToCrm),
    crmToOutlook: direction(record.crmToOutlook, fallback.crmToOutlook),
    ...(defaultTypeId === undefined ? {} : { defaultTypeId }),
    privateMode: pick(PrivateModeSchema, record.privateMode, fallback.privateMode),
    language: pick(Language, record.language, fallback.language),
    picklistLanguage: pick(Language.nullable(), record.picklistLanguage, null),
    options,
    conflictPolicy: pick(ConflictPolicySchema, record.conflictPolicy, fallback.conflictPolicy),
    contactSync: pick(ContactSyncSchema, record.contactSync, fallback.contactSync),
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
