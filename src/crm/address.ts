/**
 * The CRM address as typed in the pane (SPEC C1): the scheme may be left out and https is then
 * assumed; https is required, except on loopback (a CRM on this machine, the reference server).
 */
import { SyncError } from '../sync/core/errors';

const LOOPBACK_V4 = /^127(\.\d{1,3}){3}$/;

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || LOOPBACK_V4.test(hostname);
}

/**
 * Returns the normalised origin plus path (`https://crm.example.com/base`), without a trailing
 * slash, query or fragment. The API lives under `${address}/api/v1`.
 * @throws SyncError `invalidAddress` (not a URL, another scheme, credentials in it) or
 *   `insecureAddress` (http to anything but loopback).
 */
export function normaliseCrmAddress(input: string): string {
  const trimmed = input.trim();
  if (trimmed === '') throw new SyncError('invalidAddress', 'The CRM address is empty.');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch (cause) {
    throw new SyncError('invalidAddress', 'The CRM address is not a URL.', { cause });
  }
  if (url.username !== '' || url.password !== '') {
    // Never keep credentials in an address that is stored and shown.
    throw new SyncError('invalidAddress', 'The CRM address must not contain credentials.');
  }
  if (url.search !== '' || url.hash !== '' || url.hostname === '') {
    throw new SyncError('invalidAddress', 'The CRM address has a query, fragment or no host.');
  }
  if (url.protocol === 'http:') {
    if (!isLoopback(url.hostname)) {
      throw new SyncError('insecureAddress', 'The CRM address must use https.', {
        params: { address: url.host },
      });
    }
  } else if (url.protocol !== 'https:') {
    throw new SyncError('invalidAddress', `Unsupported scheme ${url.protocol}`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}
