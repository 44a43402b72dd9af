/**
 * PostgreSQL's COPY text format: one line per row, columns separated by tabs, `\N` for NULL, and
 * backslash, tab, newline and carriage return escaped with a backslash.
 */
export type CopyValue = string | number | boolean | null | undefined;

const needsEscape = /[\\\t\n\r]/;
const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A text field (or NULL). */
export function copyString(v: string | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  return needsEscape.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => escapes[c]!) : v;
}

/** A numeric field (or NULL); NaN and infinities are refused rather than stored as text. */
export function copyNumber(v: number | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (!Number.isFinite(v)) throw new RangeError(`COPY cannot carry the number ${v}`);
  return String(v);
}

export function copyField(v: CopyValue): string {
  if (typeof v === 'number') return copyNumber(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  return copyString(v);
}

/** One row as a COPY text line, newline included. */
export function copyLine(values: readonly CopyValue[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i === 0 ? '' : '\t') + copyField(values[i]);
  return line + '\n';
}

/**
 * `COPY table (a, b) FROM <source>` in the format the data is in (text for a string, binary for
 * bytes); names are checked, not trusted.
 */
export function copyStatement(
  table: string,
  columns: readonly string[],
  source: string,
  data: string | Uint8Array,
): string {
  const ident = /^[a-z_][a-z0-9_]*$/;
  for (const name of [table, ...columns])
    if (!ident.test(name)) throw new Error(`not a plain SQL identifier: '${name}'`);
  const format = typeof data === 'string' ? '' : ' WITH (FORMAT binary)';
  return `COPY ${table} (${columns.join(', ')}) FROM ${source}${format}`;
}
