import type { AddinConfig } from '../config/addinConfig';
import type { CurrentMessage, Host } from './host';
import type { OfficeContextLike } from './officeContext';
import { OfficeHost } from './officeHost';
import { StandaloneHost } from './standaloneHost';

/** What `Office.onReady` told us: the Outlook context, or null when no Office host loaded us. */
export type OfficeReadyResult =
  { readonly kind: 'office'; readonly context: OfficeContextLike } | { readonly kind: 'no-host' };

export type HostSelection =
  | { readonly kind: 'ready'; readonly host: Host }
  /** Opened outside Outlook and the configuration names no stand-in (production). */
  | { readonly kind: 'unavailable' };

/**
 * Picks the host: Outlook when Office.js reports one, otherwise whatever `hostFallback` in the
 * configuration names. The sandbox is a configuration choice, never an `if (test)` branch.
 */
/**
 * The standalone host's "current appointment": `?item=<Graph event id>` on the page's address, so
 * the sandbox and the browser tests can open the item view on an event. Graph ids are base64url-ish;
 * anything else is ignored.
 */
export function standaloneItemFrom(search: string): { readonly id: string } | undefined {
  const id = new URLSearchParams(search).get('item');
  return id !== null && /^[A-Za-z0-9+/=_-]{1,512}$/.test(id) ? { id } : undefined;
}

/**
 * The standalone host's "current message" (issue 7): `?message=<sender address>`, with optional
 * `senderName`, `subject` and `body`, so the sandbox and the browser tests can open the message
 * view. Only an address that looks like one is taken; the texts are cut to what Outlook would give.
 */
export function standaloneMessageFrom(search: string): CurrentMessage | undefined {
  const params = new URLSearchParams(search);
  const address = params.get('message')?.trim() ?? '';
  if (!/^[^\s@<>]{1,64}@[^\s@<>]{1,190}$/.test(address)) return undefined;
  return {
    sender: { address, name: (params.get('senderName') ?? '').slice(0, 200) },
    subject: (params.get('subject') ?? '').slice(0, 255),
    bodyPreview: (params.get('body') ?? '').slice(0, 4000),
  };
}

export function selectHost(
  office: OfficeReadyResult,
  config: AddinConfig,
  search = '',
): HostSelection {
  if (office.kind === 'office') return { kind: 'ready', host: new OfficeHost(office.context) };
  const fallback = config.hostFallback;
  switch (fallback.kind) {
    case 'standalone':
      return {
        kind: 'ready',
        host: new StandaloneHost({
          mailbox: fallback.mailbox,
          item: standaloneItemFrom(search),
          message: standaloneMessageFrom(search),
        }),
      };
    case 'none':
      return { kind: 'unavailable' };
  }
}
