import type { AddinConfig } from '../config/addinConfig';
import { DialogHost } from './dialogHost';
import type { Host } from './host';
import type { OfficeContextLike } from './officeContext';
import { OfficeHost } from './officeHost';
import { StandaloneHost } from './standaloneHost';

/** What `Office.onReady` told us: the Outlook context, or null when no Office host loaded us. */
export type OfficeReadyResult =
  | { readonly kind: 'office'; readonly context: OfficeContextLike }
  /** Inside an Office dialog a ribbon command opened: no mailbox, only `messageParent`. */
  | {
      readonly kind: 'dialog';
      readonly displayLanguage: string | undefined;
      readonly messageParent: (message: string) => void;
    }
  | { readonly kind: 'no-host' };

export type HostSelection =
  | { readonly kind: 'ready'; readonly host: Host }
  /** Opened outside Outlook and the configuration names no stand-in (production). */
  | { readonly kind: 'unavailable' };

/**
 * Picks the host: Outlook when Office.js reports one, otherwise whatever `hostFallback` in the
 * configuration names. The sandbox is a configuration choice, never an `if (test)` branch.
 */
export function selectHost(office: OfficeReadyResult, config: AddinConfig): HostSelection {
  if (office.kind === 'office') return { kind: 'ready', host: new OfficeHost(office.context) };
  if (office.kind === 'dialog') {
    return { kind: 'ready', host: new DialogHost(office.displayLanguage) };
  }
  const fallback = config.hostFallback;
  switch (fallback.kind) {
    case 'standalone':
      return { kind: 'ready', host: new StandaloneHost({ mailbox: fallback.mailbox }) };
    case 'none':
      return { kind: 'unavailable' };
  }
}
