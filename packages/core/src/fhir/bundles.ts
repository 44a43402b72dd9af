import type {
  Bundle,
  BundleEntry,
  BundleLink,
  Observation,
  OperationOutcome,
  Patient,
} from 'fhir/r4';

/**
 * The server base of an absolute search URL (`https://h/fhir/Observation?x=1` → `https://h/fhir`),
 * for entry fullUrls; undefined when the link is relative.
 */
function serverBase(self: string): string | undefined {
  if (!/^https?:\/\//.test(self)) return undefined;
  const url = new URL(self);
  const path = url.pathname.replace(/\/[^/]*\/?$/, '');
  return `${url.origin}${path}`;
}

/** A searchset Bundle: matches with fullUrls (when the self link is absolute), total and paging links. */
export function searchsetBundle(
  resources: (Observation | Patient)[],
  total: number,
  links: { self: string; next?: string; previous?: string },
): Bundle {
  const base = serverBase(links.self);
  const link: BundleLink[] = [{ relation: 'self', url: links.self }];
  if (links.next !== undefined) link.push({ relation: 'next', url: links.next });
  if (links.previous !== undefined) link.push({ relation: 'previous', url: links.previous });
  const entry: BundleEntry[] = resources.map((resource) => ({
    ...(base !== undefined && resource.id !== undefined
      ? { fullUrl: `${base}/${resource.resourceType}/${resource.id}` }
      : {}),
    resource,
    search: { mode: 'match' },
  }));
  return { resourceType: 'Bundle', type: 'searchset', total, link, entry };
}

/**
 * The answer to a transaction or batch: one entry per request entry, in order, with its HTTP
 * status (`201 Created`, `200 OK`, `400 Bad Request`…), location and OperationOutcome.
 */
export function transactionResponse(
  results: { status: string; location?: string; outcome?: OperationOutcome }[],
  type: 'transaction-response' | 'batch-response',
): Bundle {
  return {
    resourceType: 'Bundle',
    type,
    entry: results.map((r) => ({
      response: {
        status: r.status,
        ...(r.location !== undefined ? { location: r.location } : {}),
        ...(r.outcome !== undefined ? { outcome: r.outcome } : {}),
      },
    })),
  };
}
