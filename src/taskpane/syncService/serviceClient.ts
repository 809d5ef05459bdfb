/**
 * The pane's client of the company's sync service (issue 17, item 6; docs/DEPLOY.md "The pane and
 * the service"): the service's control API (src/service/api) for the signed-in person's own
 * mailbox, with the CRM credential the pane already holds — the API key and the CRM access token —
 * which the service checks with the CRM. Every answer is held to the API's zod schemas before a
 * view sees it; every failure is a SyncError the pane already has words for.
 */
import type { z } from 'zod';
import { normaliseCrmAddress } from '../../crm/address';
import { classifyNetworkError, networkError } from '../../crm/networkErrors';
import {
  AcceptedResponse,
  API_BASE,
  BrakeResponse,
  HistoryResponse,
  ProblemSchema,
  ServiceStatusSchema,
  SetAsideResponse,
  type ServiceStatus as ServiceMailboxStatus,
  TrashResponse,
} from '../../shared/serviceApi';
import type { BrakeConfirmation } from '../../sync/core/plan/brake';
import type { AskedBrake } from '../../sync/engine/run';
import { SyncError } from '../../sync/core/errors';
import type { RunView, SetAsideView, TrashView } from '../status/statusService';

/** The CRM credential the service checks (the pane's own session). */
export interface ServiceCredential {
  readonly apiKey: string;
  accessToken(): Promise<string>;
}

/** One attempt may take this long before it counts as a dropped connection. */
const TIMEOUT_MS = 15_000;

export interface ServiceClient {
  /** The service's address, normalised (https, or http on loopback). */
  readonly url: string;
  status(): Promise<ServiceMailboxStatus>;
  history(limit: number): Promise<readonly RunView[]>;
  setAside(): Promise<readonly SetAsideView[]>;
  trash(): Promise<readonly TrashView[]>;
  retry(itemKey: string): Promise<boolean>;
  restore(trashId: number): Promise<boolean>;
  syncNow(): Promise<boolean>;
  brakeQuestion(): Promise<readonly AskedBrake[] | null>;
  /** `[]` is "Not now". */
  answerBrake(confirmation: readonly BrakeConfirmation[]): Promise<boolean>;
}

/** A problem the service answered, as the pane's error codes. */
function errorOf(status: number, body: unknown): SyncError {
  const problem = ProblemSchema.safeParse(body);
  const code = problem.success ? problem.data.code : '';
  const detail = `The sync service answered ${status}${code ? ` (${code})` : ''}`;
  if (status === 401) return new SyncError('sessionExpired', detail);
  if (status === 403) return new SyncError('roleMissing', detail);
  if (status === 404 && code === 'mailbox-not-synced') {
    return new SyncError('mailboxNotFound', detail);
  }
  if (status === 429) return new SyncError('throttled', detail);
  if (status >= 500) return new SyncError('serverError', detail);
  return new SyncError('invalidRequest', detail);
}

/**
 * @throws SyncError `invalidAddress` / `insecureAddress` when the company's address for the
 *   service is not https (http only on loopback): the pane never sends its session in clear.
 */
export function createServiceClient(
  address: string,
  credential: ServiceCredential,
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
): ServiceClient {
  const url = normaliseCrmAddress(address);
  const base = `${url}${API_BASE}`;

  async function send<T>(
    method: 'GET' | 'POST',
    path: string,
    schema: z.ZodType<T>,
    body?: unknown,
  ): Promise<T> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'X-Api-Key': credential.apiKey,
      Authorization: `Bearer ${await credential.accessToken()}`,
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetchImpl(`${base}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        // The credential goes to this address only: a redirect is an error, never followed.
        redirect: 'error',
        credentials: 'omit',
        cache: 'no-store',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (cause) {
      throw networkError(classifyNetworkError(cause), cause);
    }
    const text = await res.text().catch(() => '');
    let json: unknown = null;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      json = null;
    }
    if (!res.ok) throw errorOf(res.status, json);
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    // Paths only, never values: values are appointment content.
    const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new SyncError('invalidResponse', `${method} ${path}: unexpected body at ${where}`);
  }

  return {
    url,
    status: () => send('GET', '/status', ServiceStatusSchema),
    history: async (limit) =>
      (await send('GET', `/history?limit=${encodeURIComponent(limit)}`, HistoryResponse)).items,
    setAside: async () => (await send('GET', '/set-aside', SetAsideResponse)).items,
    trash: async () => (await send('GET', '/trash', TrashResponse)).items,
    retry: async (itemKey) =>
      (await send('POST', '/set-aside/retry', AcceptedResponse, { itemKey })).accepted,
    restore: async (trashId) =>
      (
        await send(
          'POST',
          `/trash/${encodeURIComponent(String(trashId))}/restore`,
          AcceptedResponse,
          {},
        )
      ).accepted,
    syncNow: async () => (await send('POST', '/sync', AcceptedResponse, {})).accepted,
    brakeQuestion: async () => (await send('GET', '/brake', BrakeResponse)).asked,
    answerBrake: async (confirmation) =>
      (await send('POST', '/brake/answer', AcceptedResponse, { confirmation })).accepted,
  };
}
