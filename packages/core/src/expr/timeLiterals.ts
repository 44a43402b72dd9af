/** CEL duration units (cel-spec: google.protobuf.Duration string form), in milliseconds. */
const unitMs: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  ns: 0.000001,
};

/**
 * `'72h'`, `'1h30m'`, `'-1.5h'`, `'90s'` → milliseconds, or null when malformed. Days are not a CEL
 * unit: write `'72h'` for three days.
 */
export function parseDuration(text: string): number | null {
  const m = /^(-)?((?:\d+(?:\.\d+)?(?:h|ms|m|s|us|ns))+)$/.exec(text);
  if (!m || m[2] === undefined) return null;
  let total = 0;
  for (const part of m[2].matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|ns)/g)) {
    total += Number(part[1]) * (unitMs[part[2] ?? ''] ?? NaN);
  }
  if (!Number.isFinite(total)) return null;
  return m[1] ? -total : total;
}

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** RFC 3339 timestamp with a zone (as CEL requires) → epoch milliseconds, or null. */
export function parseTimestamp(text: string): number | null {
  if (!rfc3339.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}
