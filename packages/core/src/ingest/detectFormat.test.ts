import { describe, expect, it } from 'vitest';
import { detectFormat } from './detectFormat.ts';

describe('detectFormat', () => {
  it('recognises a FHIR Bundle, also when resourceType comes after the entries', () => {
    expect(
      detectFormat('{\n  "resourceType": "Bundle",\n  "type": "transaction",\n  "entry": ['),
    ).toBe('fhir-bundle');
    // Nested resourceTypes (of the entries) must not decide: only the root's counts.
    const late =
      '{"type":"transaction","entry":[{"resource":{"resourceType":"Patient","id":"1"}}],"resourceType":"Bundle"}';
    expect(detectFormat(late)).toBe('fhir-bundle');
    // Cut off inside the entries before the root resourceType: the root keys still say Bundle.
    expect(
      detectFormat(
        '{"type":"batch","entry":[{"resource":{"resourceType":"Observation","status":"fin',
      ),
    ).toBe('fhir-bundle');
  });

  it('recognises a single FHIR resource', () => {
    expect(detectFormat('\uFEFF  {"resourceType":"Observation","id":"x","code":{')).toBe(
      'fhir-resource',
    );
  });

  it('recognises Open mHealth data points and bare bodies', () => {
    expect(detectFormat('{"header":{"id":"1","schema_id":{"namespace":"omh"')).toBe('openmhealth');
    expect(detectFormat('[{"header":{"id":"1"},"body":{"heart_rate":{"value":60')).toBe(
      'openmhealth',
    );
    expect(detectFormat('{\n "systolic_blood_pressure": {"value": 160, "unit": "mmHg"}')).toBe(
      'openmhealth',
    );
  });

  it('recognises an Apple Health export.xml', () => {
    expect(
      detectFormat(
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE HealthData [\n<!-- HealthKit Export Version: 3 -->',
      ),
    ).toBe('apple-health-xml');
    expect(detectFormat('<?xml version="1.0"?><HealthData locale="en_US">')).toBe(
      'apple-health-xml',
    );
  });

  it('says unknown for anything else', () => {
    for (const head of [
      '',
      '   ',
      'id,steps\n1,200',
      '<?xml version="1.0"?><feed>',
      '{"name":"x"}',
      '[1,2,3]',
      '{"a":{"resourceType":"Bundle"}}',
    ]) {
      expect(detectFormat(head)).toBe('unknown');
    }
  });
});
