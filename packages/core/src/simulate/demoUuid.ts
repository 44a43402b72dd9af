/**
 * Name-based UUIDs for demo resources: the same name always gives the same UUID, so a FHIR bundle
 * built twice from the same population is byte-identical. Core cannot use node:crypto (SHA-1 for
 * RFC 9562 version 5), so this hashes with cyrb128 and marks the result as version 8 ("custom"),
 * which is exactly what RFC 9562 §5.8 reserves for such schemes.
 */

/** cyrb128 (bryc, public domain): four 32-bit lanes of a fast non-cryptographic string hash. */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

/** A lower-case RFC 9562 version-8 UUID derived from `name`. */
export function demoUuid(name: string): string {
  const [w0, w1raw, w2raw, w3] = cyrb128(name);
  const w1 = ((w1raw & 0xffff0fff) | 0x00008000) >>> 0; // version nibble = 8
  const w2 = ((w2raw & 0x3fffffff) | 0x80000000) >>> 0; // variant bits = 10
  const a = hex8(w0);
  const b = hex8(w1);
  const c = hex8(w2);
  const d = hex8(w3);
  return `${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${d}`;
}
