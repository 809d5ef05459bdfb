import { pickLanguage } from '../i18n/languages';
import { loadMessages } from '../i18n/loadMessages';
import type { SyncNotice } from './handlers';

/** The notificationMessages key: a new notice replaces the previous one instead of piling up. */
export const syncNoticeKey = 'crmSyncNow';

/** The slice of an Outlook item that shows notices (Office.NotificationMessages). */
export interface NoticeItem {
  notificationMessages?: {
    replaceAsync(
      key: string,
      details: {
        type: Office.MailboxEnums.ItemNotificationMessageType | 'informationalMessage';
        message: string;
        icon: string;
        persistent: boolean;
      },
      callback?: (result: { status: unknown; error?: { message: string } }) => void,
    ): void;
  };
}

/**
 * Shows `notice` on the current item, in the host's language: an informational message, which
 * needs `icon` (a manifest image resid) and `persistent` (office-js-docs-reference:
 * outlook/office.notificationmessagedetails). Resolves once Outlook answered; rejects on failure.
 */
export async function showSyncNotice(
  item: NoticeItem | null | undefined,
  displayLanguage: string | undefined,
  notice: SyncNotice,
): Promise<void> {
  const messages = item?.notificationMessages;
  if (!messages) return;
  const texts = await loadMessages(pickLanguage([displayLanguage]));
  const message = texts.commands.syncNow[notice];
  await new Promise<void>((resolve, reject) => {
    messages.replaceAsync(
      syncNoticeKey,
      { type: 'informationalMessage', message, icon: 'Icon.16x16', persistent: false },
      (result) => {
        if (String(result.status) === 'succeeded') resolve();
        else reject(new Error(`Could not show the notice: ${result.error?.message ?? 'unknown'}`));
      },
    );
  });
}
