/**
 * Final touches on the generated document that route schemas cannot express: response
 * headers (ETag, Location, Retry-After), shared `components.responses` for the standard
 * problems, readable component names, and dropping components nothing references (zod's
 * registry emits an input and an output twin of every named schema).
 */
import { PROBLEM_RESPONSE_NAMES, PROBLEM_TEXT } from './responses';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null;
const SCHEMAS = '#/components/schemas/';
const PROBLEM_REF = `${SCHEMAS}Problem`;

const header = (description: string, schema: Json): Json => ({ description, schema });
const RETRY_AFTER = header('Seconds to wait before retrying.', { type: 'integer', minimum: 0 });
const ETAG = header('The strong ETag of the returned version.', { type: 'string' });
const LOCATION = header('The URL of the created resource.', { type: 'string' });
const VERSIONED = [`${SCHEMAS}Activity`, `${SCHEMAS}Contact`];

function schemaRef(response: Json, mediaType: string): unknown {
  const content = isObject(response.content) ? response.content[mediaType] : undefined;
  return isObject(content) && isObject(content.schema) ? content.schema.$ref : undefined;
}

function withHeaders(status: string, response: Json): Json {
  const headers: Json = {};
  if (status === '429' || status === '503') headers['Retry-After'] = { ...RETRY_AFTER };
  const ref = schemaRef(response, 'application/json');
  if (typeof ref === 'string' && VERSIONED.includes(ref)) headers.ETag = { ...ETAG };
  if (status === '201') headers.Location = { ...LOCATION };
  return Object.keys(headers).length > 0 ? { ...response, headers } : response;
}

/** A standard problem response becomes a `$ref` to `components.responses`. */
function shared(status: string, response: Json, responses: Json): Json {
  const name = PROBLEM_RESPONSE_NAMES[Number(status)];
  const standard =
    name !== undefined &&
    response.description === PROBLEM_TEXT[Number(status)] &&
    schemaRef(response, 'application/problem+json') === PROBLEM_REF;
  if (!standard) return response;
  responses[name] = response;
  return { $ref: `#/components/responses/${name}` };
}

function walkRefs(value: unknown, visit: (ref: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => walkRefs(v, visit));
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' ? visit(v) : walkRefs(v, visit),
    ]),
  );
}

function usedSchemas(paths: unknown, responses: unknown, schemas: Json): Set<string> {
  const used = new Set<string>();
  const collect = (v: unknown) =>
    walkRefs(v, (ref) => {
      if (ref.startsWith(SCHEMAS)) used.add(ref.slice(SCHEMAS.length));
      return ref;
    });
  collect(paths);
  collect(responses);
  for (let size = -1; size !== used.size;) {
    size = used.size;
    for (const name of [...used]) collect(schemas[name]);
  }
  return used;
}

export function finishDocument<T>(doc: T): T {
  const d = doc as Json;
  const components = isObject(d.components) ? d.components : {};
  const responses: Json = {};
  const paths: Json = {};
  for (const [path, item] of Object.entries(isObject(d.paths) ? d.paths : {})) {
    const ops: Json = {};
    for (const [method, op] of Object.entries(isObject(item) ? item : {})) {
      if (!isObject(op) || !isObject(op.responses)) continue;
      const rs = Object.entries(op.responses).map(([status, r]) => [
        status,
        isObject(r) ? shared(status, withHeaders(status, r), responses) : r,
      ]);
      ops[method] = { ...op, responses: Object.fromEntries(rs) };
    }
    paths[path] = ops;
  }
  const schemas = isObject(components.schemas) ? components.schemas : {};
  const used = usedSchemas(paths, responses, schemas);
  // `FooInput` becomes `Foo` when there is no output schema of that name.
  const rename = (name: string) => {
    const base = name.replace(/Input$/, '');
    return base !== name && !used.has(base) ? base : name;
  };
  const fix = (v: unknown) =>
    walkRefs(v, (ref) =>
      ref.startsWith(SCHEMAS) ? SCHEMAS + rename(ref.slice(SCHEMAS.length)) : ref,
    );
  d.paths = fix(paths);
  const kept = Object.entries(schemas).filter(([k]) => used.has(k));
  components.schemas = Object.fromEntries(kept.map(([k, v]) => [rename(k), fix(v)]));
  components.responses = fix(responses);
  d.components = components;
  return doc;
}
