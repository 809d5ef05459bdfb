import { askOpenPaneToSync } from '../shared/paneChannel';
import { createCommandHandlers } from './handlers';
import { showSyncNotice, type NoticeItem } from './itemNotice';

// The function file (commands.html). It stays tiny: no React, no engine. Office.js must be
// initialised in it (manifest/functionfile.md), so Office.onReady is called at load; the handlers
// are associated at load too, as Microsoft's function-command samples do.
const handlers = createCommandHandlers({
  askOpenPaneToSync: () => askOpenPaneToSync(),
  notify: (notice) =>
    showSyncNotice(
      Office.context.mailbox?.item as NoticeItem | null | undefined,
      Office.context.displayLanguage,
      notice,
    ),
});

if (typeof Office !== 'undefined') {
  void Office.onReady();
  if (Office.actions) {
    for (const [name, handler] of Object.entries(handlers)) {
      Office.actions.associate(name, (event: unknown) => {
        void handler(event as Parameters<typeof handler>[0]);
      });
    }
  }
}
