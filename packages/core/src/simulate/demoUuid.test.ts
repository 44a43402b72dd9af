import { describe, expect, it } from 'vitest';
import { demoUuid } from './demoUuid.ts';

// RFC 9562 §5.8: version 8 in the high nibble of octet 6, variant 10 in the top bits of octet 8.
const uuidV8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('demoUuid', () => {
  it('is a version-8 UUID, stable for a name', () => {
    expect(demoUuid('Patient|demo-0001')).toMatch(uuidV8);
    expect(demoUuid('Patient|demo-0001')).toBe(demoUuid('Patient|demo-0001'));
  });

  it('differs between names, without collisions over many names', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50_000; i++) seen.add(demoUuid(`Observation|seed:1:demo-${i % 200}:${i}`));
    expect(seen.size).toBe(50_000);
    expect(demoUuid('a')).not.toBe(demoUuid('b'));
    expect(demoUuid('王秀英')).not.toBe(demoUuid('王秀兰'));
  });
});
