/**
 * The connection service as the composition root hands it out: the real one
 * (createConnectionService.ts: the CRM client, the encrypted token store over Dexie, Graph's
 * calendar list) is imported on the first sign-in, automatic or by the form.
 */
import type { AddinConfig } from '../../config/addinConfig';
import type { Host } from '../../host/host';
import { once } from '../onDemand';
import { createPaneRoot, type PaneRoot } from '../paneRoot';
import type { ConnectionService } from './connectionService';

export function connectionServiceOnDemand(
  deps: {
    readonly host: Host;
    readonly config: AddinConfig;
    /** The pane's root (its mailbox's Graph client); a root of its own when none is given. */
    readonly root?: PaneRoot;
  },
  load: () => Promise<ConnectionService> = async () =>
    (
      await import(/* webpackChunkName: "connection" */ './createConnectionService')
    ).createConnectionService({
      ...deps,
      root: deps.root ?? createPaneRoot(deps.host, deps.config),
    }),
): ConnectionService {
  const real = once(load);
  return {
    connect: async (input) => (await real()).connect(input),
    resume: async (mailbox) => (await real()).resume(mailbox),
    removeLocalPairing: async () => (await real()).removeLocalPairing(),
  };
}
