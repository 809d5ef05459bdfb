/**
 * Contract checking for integration tests: loads docs/crm-sync-api.yaml and validates each
 * observed response (status, media type, body) against the document's schema for that
 * operation, recording which operations were exercised. `missing()` lists the operations no
 * test reached with a 2xx answer, so a coverage test cannot pass by accident.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null;
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const DOC_ID = 'crm-sync-api';

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  params: number;
  responses: Json;
}

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export class Contract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  private readonly operations: Operation[] = [];
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly seen = new Set<string>();
  private readonly succeeded = new Set<string>();

  constructor(
    private readonly doc: Json,
    readonly basePath = '/api/v1',
  ) {
    addFormats(this.ajv);
    this.ajv.addSchema(doc, DOC_ID);
    const paths = isObject(doc.paths) ? doc.paths : {};
    for (const [template, item] of Object.entries(paths)) {
      for (const method of METHODS) {
        const op = isObject(item) ? item[method] : undefined;
        if (!isObject(op) || !isObject(op.responses)) continue;
        const source = template.replace(/\{[^}]+\}/g, '[^/]+');
        this.operations.push({
          method: method.toUpperCase(),
          template,
          pattern: new RegExp(`^${source}$`),
          params: (template.match(/\{/g) ?? []).length,
          responses: op.responses,
        });
      }
    }
    // Static segments win over parameters (/activities/changes before /activities/{id}).
    this.operations.sort((a, b) => a.params - b.params);
  }

  static load(file = resolve(__dirname, '../../../docs/crm-sync-api.yaml')): Contract {
    return new Contract(parse(readFileSync(file, 'utf8')) as Json);
  }

  /** Every operation in the document, as "METHOD /template". */
  all(): string[] {
    return this.operations.map((o) => `${o.method} ${o.template}`).sort();
  }

  find(method: string, url: string): Operation | undefined {
    const path = url.split('?')[0] ?? '';
    if (!path.startsWith(this.basePath)) return undefined;
    const rest = path.slice(this.basePath.length);
    return this.operations.find((o) => o.method === method && o.pattern.test(rest));
  }

  /** Throws a readable error when the response does not match the document. */
  check(method: string, url: string, status: number, contentType: string | null, body: unknown) {
    const op = this.find(method, url);
    if (!op) throw new Error(`${method} ${url}: no such operation in the contract`);
    const key = `${method} ${op.template}`;
    let response = op.responses[String(status)] ?? op.responses.default;
    if (isObject(response) && typeof response.$ref === 'string') {
      const name = response.$ref.split('/').pop() ?? '';
      const shared = (this.doc.components as Json).responses as Json;
      response = shared[name];
    }
    if (!isObject(response)) throw new Error(`${key}: status ${status} is not documented`);
    const content = isObject(response.content) ? response.content : undefined;
    if (!content) {
      if (body !== undefined) throw new Error(`${key} ${status}: documented without a body`);
    } else {
      const media = (contentType ?? '').split(';')[0]?.trim() ?? '';
      const entry = content[media];
      if (!isObject(entry)) throw new Error(`${key} ${status}: media type ${media} not documented`);
      this.validator(op, String(status), media)(body);
    }
    this.seen.add(key);
    if (status >= 200 && status < 300) this.succeeded.add(key);
  }

  private validator(op: Operation, status: string, media: string) {
    const raw = op.responses[status];
    const base =
      isObject(raw) && typeof raw.$ref === 'string'
        ? raw.$ref.slice(1)
        : `/${pointer('paths', op.template, op.method.toLowerCase(), 'responses', status)}`;
    const ref = `${DOC_ID}#${base}/${pointer('content', media, 'schema')}`;
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validate);
    }
    const fn = validate;
    return (body: unknown) => {
      if (!fn(body)) {
        const errors = this.ajv.errorsText(fn.errors, { separator: '\n  ' });
        throw new Error(
          `${op.method} ${op.template} ${status}: body does not match the contract\n  ${errors}\n` +
            `  body: ${JSON.stringify(body).slice(0, 500)}`,
        );
      }
    };
  }

  /** Operations never answered with a 2xx during this run. */
  missing(): string[] {
    return this.all().filter((k) => !this.succeeded.has(k));
  }

  exercised(): string[] {
    return [...this.seen].sort();
  }
}
