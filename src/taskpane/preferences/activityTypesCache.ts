/**
 * The CRM's activity types as last read, kept in roaming settings so that Preferences can offer
 * them where no CRM session exists: the ribbon's dialog, or the pane before sign-in.
 */
import * as z from 'zod';
import type { ActivityType } from '../../crm';
import { ActivityTypeSchema } from '../../crm/directorySchemas';
import type { Host } from '../../host/host';
import { toSetting } from './preferencesStore';

export const activityTypesSettingKey = 'crmActivityTypes';

/** Roaming settings hold 32 KB in all: a CRM with more types than this is cut, not refused. */
const maxCachedTypes = 60;

const CachedTypes = z.array(ActivityTypeSchema).max(maxCachedTypes);

export function parseCachedActivityTypes(raw: unknown): readonly ActivityType[] {
  const parsed = CachedTypes.safeParse(raw);
  return parsed.success ? parsed.data : [];
}

export function readCachedActivityTypes(host: Host): readonly ActivityType[] {
  return parseCachedActivityTypes(host.getSetting(activityTypesSettingKey));
}

export async function cacheActivityTypes(
  host: Host,
  types: readonly ActivityType[],
): Promise<void> {
  await host.setSetting(activityTypesSettingKey, toSetting(types.slice(0, maxCachedTypes)));
}
