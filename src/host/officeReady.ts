import type { OfficeContextLike } from './officeContext';
import type { OfficeReadyResult } from './selectHost';

/**
 * Waits for office.js. `Office.onReady` resolves with `host: null` in a plain browser tab; when the
 * office.js script itself failed to load (offline, blocked) there is no `Office` global at all, and
 * we treat that as "no host" too rather than hanging. A page with no mailbox (an Office dialog:
 * nothing opens the pane in one since the ribbon's Preferences became a task-pane button) is no
 * host either.
 */
export async function waitForOffice(timeoutMs = 10_000): Promise<OfficeReadyResult> {
  if (typeof Office === 'undefined' || typeof Office.onReady !== 'function') {
    return { kind: 'no-host' };
  }
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs));
  const info = await Promise.race([Office.onReady(), timeout]);
  if (!info || !info.host) return { kind: 'no-host' };
  if (!Office.context?.mailbox) return { kind: 'no-host' };
  const context: OfficeContextLike = Office.context;
  return { kind: 'office', context };
}
