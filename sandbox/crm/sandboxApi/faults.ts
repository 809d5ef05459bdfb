/**
 * Fault injection for testing clients (not part of the contract): answer the next N matching
 * requests (N = 0: every one until cleared) with 429/503 + Retry-After, delay them, or drop the
 * connection.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendProblem } from '../http/problem';

export type Fault =
  | { kind: 'status'; status: 429 | 503; retryAfterSeconds: number }
  | { kind: 'latency'; ms: number }
  | { kind: 'drop' };

interface Armed {
  id: number;
  fault: Fault;
  remaining: number;
  pathPrefix: string;
  method: string | null;
}

export class FaultInjector {
  private armed: Armed[] = [];
  private nextId = 1;

  /** Arms a fault for the next `count` matching requests; `count` 0: until cleared (as Graph's). */
  add(fault: Fault, count: number, pathPrefix = '/api/', method?: string): number {
    const id = this.nextId++;
    const remaining = count === 0 ? Number.POSITIVE_INFINITY : count;
    this.armed.push({ id, fault, remaining, pathPrefix, method: method ?? null });
    return id;
  }

  clear(): void {
    this.armed = [];
  }

  /** The armed faults; `remaining` null: until cleared. */
  pending(): Array<{ id: number; fault: Fault; remaining: number | null; pathPrefix: string }> {
    return this.armed.map(({ id, fault, remaining, pathPrefix }) => ({
      id,
      fault,
      remaining: Number.isFinite(remaining) ? remaining : null,
      pathPrefix,
    }));
  }

  private take(request: FastifyRequest): Fault | undefined {
    const path = request.url;
    const hit = this.armed.find(
      (a) => path.startsWith(a.pathPrefix) && (a.method === null || a.method === request.method),
    );
    if (!hit) return undefined;
    hit.remaining -= 1;
    if (hit.remaining <= 0) this.armed = this.armed.filter((a) => a !== hit);
    return hit.fault;
  }

  /** The onRequest hook; the sandbox routes themselves and CORS preflights are never faulted. */
  hook = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> => {
    if (request.url.startsWith('/sandbox/') || request.method === 'OPTIONS') return;
    const fault = this.take(request);
    if (!fault) return;
    if (fault.kind === 'latency') {
      await sleep(fault.ms);
    } else if (fault.kind === 'drop') {
      reply.hijack();
      request.raw.socket.destroy();
      return reply;
    } else {
      const retry = String(fault.retryAfterSeconds);
      const [code, title] =
        fault.status === 429
          ? ['rate-limited', 'Too many requests']
          : ['service-unavailable', 'Service unavailable'];
      return sendProblem(reply, {
        status: fault.status,
        code,
        title,
        detail: `Retry after ${retry} seconds.`,
        headers: { 'Retry-After': retry },
      });
    }
  };
}
