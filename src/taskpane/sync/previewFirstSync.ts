/**
 * The dry run before the first sync (SPEC C8): the engine built as startSync builds it, asked what
 * its first run would do (previewSync writes nothing). Components reach it through the services
 * context (`previewSync`), so unit tests pass a fake.
 */
import { previewSync, type PreviewOutcome } from '../../sync/engine/preview';
import type { PaneRoot } from '../paneRoot';
import { engineFor, type StartSyncInput } from './startSync';

export type PreviewFirstSync = (input: StartSyncInput) => Promise<PreviewOutcome>;

export const previewFirstSync =
  (root: PaneRoot): PreviewFirstSync =>
  async (input) => {
    const { deps } = await engineFor(input, root);
    return previewSync(deps);
  };
