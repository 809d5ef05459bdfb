/**
 * The pane's startSync and first-sync preview as the composition root hands them out: the engine,
 * the store, the Graph and CRM mapping (html-to-text, windows-iana, the Temporal polyfill) are in
 * one async chunk, loaded when the connected summary asks for the preview or sync starts.
 */
import type { PaneRoot } from '../paneRoot';
import type { PreviewFirstSync } from './previewFirstSync';
import type { StartSync } from './startSync';

export const startSyncOnDemand =
  (root: PaneRoot): StartSync =>
  async (input) => {
    const { startSync } = await import(/* webpackChunkName: "sync-engine" */ './startSync');
    return startSync(root)(input);
  };

export const previewFirstSyncOnDemand =
  (root: PaneRoot): PreviewFirstSync =>
  async (input) => {
    const { previewFirstSync } = await import(
      /* webpackChunkName: "sync-engine" */ './previewFirstSync'
    );
    return previewFirstSync(root)(input);
  };
