import type { FastifyRequest } from 'fastify';
import { linkWith, type RequestScope } from '../context';
import type { Instance } from '../instances';
import type { ListOptions } from '../query';
import { serializeInstance } from '../serialize';
import { GraphError } from '../errors';

/** Graph's default page size for event collections. */
export const DEFAULT_PAGE_SIZE = 10;

export function render(
  inst: Instance,
  s: RequestScope,
  list?: Pick<ListOptions, 'select' | 'expandExtended'>,
) {
  return serializeInstance(inst, {
    zone: s.prefs.zone,
    select: list?.select,
    expandExtended: list?.expandExtended,
  });
}

/** Applies $filter, $skip/$top and page size, and builds the collection body. */
export function renderCollection(
  req: FastifyRequest,
  s: RequestScope,
  all: Instance[],
  list: ListOptions,
  context: string,
) {
  const filter = list.filter;
  const matching = filter
    ? all.filter((inst) =>
        filter(
          serializeInstance(inst, {
            zone: { name: 'UTC', iana: 'UTC' },
            expandExtended: () => true,
          }),
        ),
      )
    : all;
  const pageSize = Math.min(list.top ?? s.prefs.maxPageSize ?? DEFAULT_PAGE_SIZE, 1000);
  const page = matching.slice(list.skip, list.skip + pageSize);
  const body: Record<string, unknown> = {
    '@odata.context': `${s.baseUrl}/$metadata#${context}`,
    value: page.map((inst) => render(inst, s, list)),
  };
  if (list.skip + pageSize < matching.length) {
    body['@odata.nextLink'] = linkWith(req, s.baseUrl, { $skip: String(list.skip + pageSize) });
  }
  return body;
}

/** `If-Match: W/"changeKey"` on PATCH/DELETE; a stale one is Graph's 412. */
export function checkIfMatch(req: FastifyRequest, inst: Pick<Instance, 'changeKey'>): void {
  const header = req.headers['if-match'];
  if (!header || header === '*') return;
  const tags = header.split(',').map((t) => t.trim().replace(/^W\//, '').replace(/^"|"$/g, ''));
  if (!tags.includes(inst.changeKey)) {
    throw new GraphError(
      412,
      'ErrorIrresolvableConflict',
      'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.',
    );
  }
}
