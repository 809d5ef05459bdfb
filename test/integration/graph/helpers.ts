import type { Event } from '@microsoft/microsoft-graph-types';
import { startGraphServer, type GraphServerOptions } from '../../../sandbox/graph/index';

/** A fixed "now" so demo data and windows are deterministic: Thursday 2025-03-20 12:00 UTC. */
export const NOW = Date.parse('2025-03-20T12:00:00Z');

export type GraphEvent = Event & Record<string, unknown>;
export interface Res<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface Harness {
  url: string;
  server: Awaited<ReturnType<typeof startGraphServer>>;
  token: string;
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    opts?: { body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<Res<T>>;
  close(): Promise<void>;
}

export async function tokenFor(url: string, mailbox: string): Promise<string> {
  const res = await fetch(`${url}/sandbox/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ mailbox }),
  });
  const body = (await res.json()) as { access_token: string };
  return body.access_token;
}

export async function startHarness(
  opts: GraphServerOptions = {},
  mailbox = 'anna@contoso.example',
): Promise<Harness> {
  const server = await startGraphServer({ port: 0, seedDemoData: false, now: () => NOW, ...opts });
  const token = await tokenFor(server.url, mailbox);
  const call = async <T>(
    method: string,
    path: string,
    o: { body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Res<T>> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...o.headers };
    let payload: string | undefined = o.raw;
    if (o.body !== undefined) payload = JSON.stringify(o.body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(path.startsWith('http') ? path : `${server.url}${path}`, {
      method,
      headers,
      body: payload,
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as T };
  };
  return { url: server.url, server, token, call, close: () => server.close() };
}

/** A timed event body in UTC (or another zone). */
export function timed(
  subject: string,
  start: string,
  end: string,
  timeZone = 'UTC',
): Record<string, unknown> {
  return { subject, start: { dateTime: start, timeZone }, end: { dateTime: end, timeZone } };
}

export const CRM_PROP = 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name CrmActivityId';
