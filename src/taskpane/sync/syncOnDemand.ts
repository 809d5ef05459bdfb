/**
 * The pane's startSync and first-sync preview as the composition root hands them out: the engine,
 * the store, the Graph and CRM mapping (html-to-text, windows-iana, the Temporal polyfill) are in
 * one async chunk, loaded when the connected summary asks for the preview or sync starts.
 */
import type { PreviewFirstSync } from './previewFirstSync';
import type { StartSync } from './startSync';

export const startSyncOnDemand: StartSync = async (input) => {
  const { startSync } = await import(/* webpackChunkName: "sync-engine" */ './startSync');
  return startSync(input);
};

export const previewFirstSyncOnDemand: PreviewFirstSync = async (input) => {
  const { previewFirstSync } = await import(
    /* webpackChunkName: "sync-engine" */ './previewFirstSync'
  );
  return previewFirstSync(input);
};
