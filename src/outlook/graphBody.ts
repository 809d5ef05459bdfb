import type * as z from 'zod';
import { invalidResponse } from './graphErrors';

/** Error bodies are read leniently: they only feed the error code. */
export function safeJson(text: string): unknown {
  try {
    return text === '' ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}

/** Validates a success body; anything malformed is `invalidResponse` and is never used. */
export function parseBody<T>(schema: z.ZodType<T> | null, text: string): T {
  if (schema === null) return undefined as T;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalidResponse('the body is not JSON');
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const where = result.error.issues[0]?.path.join('.') ?? '';
    throw invalidResponse(`unexpected shape at '${where}'`);
  }
  return result.data;
}
