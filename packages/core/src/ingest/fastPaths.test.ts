import { describe, expect, it } from 'vitest';
import { uuidFromFullUrl } from './fhirElements.ts';

describe('ingest fast paths', () => {
  it('uuidFromFullUrl equals the regex it replaced', () => {
    const viaRegex = (v: unknown) =>
      typeof v === 'string' ? /^urn:uuid:([0-9a-fA-F-]{8,})$/.exec(v)?.[1] : undefined;
    const cases: unknown[] = [
      'urn:uuid:01f42337-e6d1-8c52-a342-2be8c3e0d134',
      'urn:uuid:ABCDEF01',
      'urn:uuid:abcdef0',
      'urn:uuid:abcdefgh',
      'urn:uuid:abcdef01\n',
      'urn:uuid:-------- ',
      'URN:uuid:abcdef01',
      'urn:oid:1.2.3.4.5.6.7.8',
      'urn:uuid:',
      'https://example.org/fhir/Patient/1',
      '',
      42,
      null,
      undefined,
    ];
    for (let c = 0; c < 128; c++) cases.push(`urn:uuid:0123456${String.fromCharCode(c)}`);
    for (const v of cases) expect(uuidFromFullUrl(v), String(v)).toBe(viaRegex(v));
  });
});
