import { request } from 'node:https';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

/**
 * MSAL Node 7 sends its requests with the global `fetch`, which takes no per-call trust
 * anchors; its documented `system.networkClient` option lets the caller supply the HTTP client.
 * This one is used only when the configuration names a certificate to trust (the sandbox's
 * self-signed Entra stand-in): it speaks https only, trusts exactly that certificate (`ca`
 * replaces the default trust store for these calls), and keeps certificate and host checks on.
 * Bounded: a request that takes longer than `timeoutMs` fails as a network error.
 */
const MAX_BODY = 1024 * 1024;

export class PinnedCaNetworkClient implements INetworkModule {
  constructor(
    private readonly ca: string,
    private readonly timeoutMs = 30_000,
  ) {}

  sendGetRequestAsync<T>(
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private send<T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    const target = new URL(url);
    if (target.protocol !== 'https:')
      return Promise.reject(new Error('Only https is allowed for the authority.'));
    const body = method === 'POST' ? (options?.body ?? '') : undefined;
    return new Promise<NetworkResponse<T>>((resolve, reject) => {
      const req = request(
        target,
        {
          method,
          ca: this.ca,
          // A fresh connection per call: token requests come about hourly, and no pooled socket
          // outlives the client.
          agent: false,
          headers: {
            ...options?.headers,
            ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}),
          },
          timeout: timeout ?? this.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_BODY)
              req.destroy(new Error('The authority answered with too large a body.'));
            else chunks.push(c);
          });
          res.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) {
              if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
            }
            try {
              const text = Buffer.concat(chunks).toString('utf8');
              resolve({ headers, body: JSON.parse(text) as T, status: res.statusCode ?? 0 });
            } catch (err) {
              reject(
                err instanceof Error ? err : new Error('Unreadable answer from the authority.'),
              );
            }
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('The authority did not answer in time.')));
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}
