/**
 * Preferences saved in one pane reach the other panes of this installation at once. Office loads
 * roaming settings once per runtime and saves them whole (docs/develop/persisting-add-in-state-
 * and-settings.md): a pane opened on ?view=preferences in another runtime (a second window, the
 * ribbon's Preferences where Outlook opens a new pane) would otherwise leave a running pane's loop
 * on the old preferences, and that pane's next save would write the old ones back (issue 11). The
 * saving pane announces what it saved on a BroadcastChannel of the add-in's origin; every other
 * pane takes it into its own copy without saving. Another device still sees them when its pane
 * starts next (nothing in Office.js reloads roaming settings).
 */
import * as z from 'zod';
import type { Host, SettingValue } from '../../host/host';
import { announce, listen } from '../../shared/broadcast';
import { supportedLanguages } from '../../i18n/languages';
import { languageSettingKey } from './languageSetting';
import { PreferencesSchema } from './preferences';
import { preferencesSettingKey } from './preferencesStore';

export const preferencesChannelName = 'crm-sync-preferences';

/** What travels: the two roaming keys writePreferences wrote, checked on arrival. */
const AnnouncementSchema = z.object({
  kind: z.literal('preferences'),
  preferences: PreferencesSchema.omit({ language: true }),
  language: z.enum(supportedLanguages),
});
type Announcement = z.infer<typeof AnnouncementSchema>;

/** Tells the other panes of this installation what was just saved. Never throws. */
export function announcePreferences(preferences: SettingValue, language: string): void {
  announce(preferencesChannelName, { kind: 'preferences', preferences, language });
}

/**
 * Takes what another pane announces into this runtime's roaming copy (Host.adoptSetting), so the
 * running loop reads it at its next run and this pane's next save keeps it. Returns the
 * unsubscribe. A host without adoptSetting reads live storage already (the standalone host).
 */
export function adoptAnnouncedPreferences(host: Host): () => void {
  const adopt = host.adoptSetting?.bind(host);
  if (!adopt) return () => undefined;
  return listen(preferencesChannelName, (message) => {
    const parsed = AnnouncementSchema.safeParse(message);
    if (!parsed.success) return;
    const announcement: Announcement = parsed.data;
    adopt(
      preferencesSettingKey,
      JSON.parse(JSON.stringify(announcement.preferences)) as SettingValue,
    );
    adopt(languageSettingKey, announcement.language);
  });
}
