/**
 * The CRM's activity types as last read, so that Preferences can offer them before sign-in. Kept
 * on this installation (Host.deviceSettings), not in roaming settings: 60 types named in five
 * languages alone would use half of the roaming budget (issue 11).
 */
import * as z from 'zod';
import type { ActivityType } from '../../crm';
import { ActivityTypeSchema } from '../../crm/directorySchemas';
import type { Host } from '../../host/host';
import { deviceStoreOf } from '../../host/settingsStore';
import { toSetting } from './preferencesStore';

export const activityTypesSettingKey = 'crmActivityTypes';

/** A CRM with more types than this is cut, not refused. */
const maxCachedTypes = 60;

const CachedTypes = z.array(ActivityTypeSchema).max(maxCachedTypes);

export function parseCachedActivityTypes(raw: unknown): readonly ActivityType[] {
  const parsed = CachedTypes.safeParse(raw);
  return parsed.success ? parsed.data : [];
}

export function readCachedActivityTypes(host: Host): readonly ActivityType[] {
  return parseCachedActivityTypes(deviceStoreOf(host).get(activityTypesSettingKey));
}

export function cacheActivityTypes(host: Host, types: readonly ActivityType[]): Promise<void> {
  deviceStoreOf(host).set(activityTypesSettingKey, toSetting(types.slice(0, maxCachedTypes)));
  return Promise.resolve();
}
