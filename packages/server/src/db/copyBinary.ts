import { canonicalUtcMillis } from '@careloop/core';

/**
 * PostgreSQL's binary COPY format (https://www.postgresql.org/docs/current/sql-copy.html, "Binary
 * Format"): a signature, then per row a 16-bit field count and per field a 32-bit length (−1 for
 * NULL) and the value in the type's binary send format. PGlite spends most of a text COPY per byte
 * it reads; binary rows are shorter and need no parsing (decision 0008).
 */
const signature = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Microseconds from the Unix epoch to PostgreSQL's (2000-01-01T00:00:00Z). */
const pgEpochMs = 946_684_800_000;
const twoTo32 = 4_294_967_296;
const hex = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Microseconds since the Unix epoch of an ISO 8601 instant, keeping up to six fractional digits. */
export function instantMicros(iso: string): number {
  // The importers store canonical `…sssZ` instants: read those by character code.
  const ms = canonicalUtcMillis(iso);
  if (ms !== undefined) return ms * 1000;
  return generalInstantMicros(iso);
}

function generalInstantMicros(iso: string): number {
  const m = /^([^.]*:\d\d)(?:\.(\d+))?(.*)$/.exec(iso);
  const ms = m ? Date.parse(`${m[1]}${m[3]}`) : Number.NaN;
  if (!m || Number.isNaN(ms)) throw new RangeError(`not an ISO 8601 instant: '${iso}'`);
  const fraction = (m[2] ?? '').slice(0, 6).padEnd(6, '0');
  return ms * 1000 + Number(fraction);
}

/** Bounds on `label`'s cache: a column of unique values gains nothing from it. */
const maxLabels = 512;
const maxLabelLength = 64;

export class CopyBinaryWriter {
  #buf: Buffer;
  #pos = 0;
  // A batch's rows mostly share their member: its 16 bytes are encoded once.
  #lastUuid = '';
  #lastUuidBytes = Buffer.alloc(16);
  #labels = new Map<string, Buffer>();

  constructor(sizeHint = 1 << 16) {
    this.#buf = Buffer.allocUnsafe(Math.max(64, sizeHint));
    signature.copy(this.#buf, 0);
    this.#buf.writeInt32BE(0, 11); // flags
    this.#buf.writeInt32BE(0, 15); // header extension length
    this.#pos = 19;
  }

  #ensure(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#pos + n));
    this.#buf.copy(next, 0, 0, this.#pos);
    this.#buf = next;
  }

  row(fields: number): this {
    this.#ensure(2);
    this.#pos = this.#buf.writeInt16BE(fields, this.#pos);
    return this;
  }

  null(): this {
    this.#ensure(4);
    this.#pos = this.#buf.writeInt32BE(-1, this.#pos);
    return this;
  }

  /**
   * A text field whose values repeat from row to row (codes, units, source kinds): each distinct
   * value is encoded to UTF-8 once per writer and copied after that. Encoding a short string costs
   * a native call per field, which was a third of the COPY encoding's time.
   */
  label(v: string | null | undefined): this {
    if (v === null || v === undefined) return this.null();
    let bytes = this.#labels.get(v);
    if (bytes === undefined) {
      if (this.#labels.size >= maxLabels || v.length > maxLabelLength) return this.text(v);
      bytes = Buffer.from(v, 'utf8');
      this.#labels.set(v, bytes);
    }
    this.#ensure(4 + bytes.length);
    this.#buf.writeInt32BE(bytes.length, this.#pos);
    bytes.copy(this.#buf, this.#pos + 4);
    this.#pos += 4 + bytes.length;
    return this;
  }

  text(v: string | null | undefined): this {
    if (v === null || v === undefined) return this.null();
    this.#ensure(4 + v.length * 3);
    const n = this.#buf.write(v, this.#pos + 4, 'utf8');
    this.#buf.writeInt32BE(n, this.#pos);
    this.#pos += 4 + n;
    return this;
  }

  /** int8 from a decimal string or a safe integer. */
  int8(v: string | number): this {
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isSafeInteger(n)) throw new RangeError(`not a safe int8: ${String(v)}`);
    return this.#int64(n);
  }

  /** An 8-byte big-endian integer field from a safe integer (sign kept by the high word). */
  #int64(n: number): this {
    this.#ensure(12);
    this.#buf.writeInt32BE(8, this.#pos);
    const hi = Math.floor(n / twoTo32);
    this.#buf.writeInt32BE(hi, this.#pos + 4);
    this.#buf.writeUInt32BE(n - hi * twoTo32, this.#pos + 8);
    this.#pos += 12;
    return this;
  }

  float8(v: number | null | undefined): this {
    if (v === null || v === undefined) return this.null();
    if (!Number.isFinite(v)) throw new RangeError(`COPY cannot carry the number ${v}`);
    this.#ensure(12);
    this.#buf.writeInt32BE(8, this.#pos);
    this.#buf.writeDoubleBE(v, this.#pos + 4);
    this.#pos += 12;
    return this;
  }

  uuid(v: string): this {
    if (v !== this.#lastUuid) {
      if (!hex.test(v)) throw new RangeError(`not a uuid: '${v}'`);
      this.#lastUuidBytes.write(v.replaceAll('-', ''), 0, 16, 'hex');
      this.#lastUuid = v;
    }
    this.#ensure(20);
    this.#buf.writeInt32BE(16, this.#pos);
    this.#lastUuidBytes.copy(this.#buf, this.#pos + 4);
    this.#pos += 20;
    return this;
  }

  /** timestamptz from an ISO 8601 instant (microseconds since 2000-01-01 UTC). */
  timestamptz(iso: string | null | undefined): this {
    if (iso === null || iso === undefined) return this.null();
    return this.#int64(instantMicros(iso) - pgEpochMs * 1000);
  }

  /** The finished COPY data, trailer included. */
  finish(): Uint8Array {
    this.#ensure(2);
    this.#pos = this.#buf.writeInt16BE(-1, this.#pos);
    return this.#buf.subarray(0, this.#pos);
  }
}
