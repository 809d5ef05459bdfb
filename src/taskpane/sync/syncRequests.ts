/**
 * The pane's side of the ribbon's "Sync now" (SPEC S3): the function file asks on the pane
 * channel (src/shared/paneChannel.ts), this pane answers that it is here and its loop syncs at
 * once. With no pane open the command tells the person on the item instead; a pane opened later
 * runs at once anyway.
 */
import { answerSyncRequests } from '../../shared/paneChannel';

export interface SyncRequestTarget {
  syncNow(): void;
}

let target: SyncRequestTarget | null = null;
let unsubscribe: (() => void) | null = null;

/**
 * Makes `loop` the one that answers "Sync now" from now on (a pane has one loop at a time; a loop
 * started again after sign-in replaces the old one).
 */
export function watchSyncRequests(loop: SyncRequestTarget): void {
  target = loop;
  unsubscribe ??= answerSyncRequests(() => target?.syncNow());
}
