import type { OfficeContextLike } from './officeContext';
import type { OfficeReadyResult } from './selectHost';

/**
 * Waits for office.js; tells an Outlook task pane from an Office dialog. `Office.onReady` resolves with `host: null` in a plain browser tab; when the
 * office.js script itself failed to load (offline, blocked) there is no `Office` global at all, and
 * we treat that as "no host" too rather than hanging.
 */
export async function waitForOffice(timeoutMs = 10_000): Promise<OfficeReadyResult> {
  if (typeof Office === 'undefined' || typeof Office.onReady !== 'function') {
    return { kind: 'no-host' };
  }
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs));
  const info = await Promise.race([Office.onReady(), timeout]);
  if (!info || !info.host) return { kind: 'no-host' };
  if (!Office.context?.mailbox) {
    // An Office dialog (a ribbon command opened the pane page in one): no mailbox, but a way to
    // answer the command that opened it.
    const ui = Office.context?.ui;
    if (ui && typeof ui.messageParent === 'function') {
      return {
        kind: 'dialog',
        displayLanguage: Office.context.displayLanguage || undefined,
        messageParent: (message) => ui.messageParent(message),
      };
    }
    return { kind: 'no-host' };
  }
  const context: OfficeContextLike = Office.context;
  return { kind: 'office', context };
}
