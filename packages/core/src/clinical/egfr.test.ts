import { describe, expect, it } from 'vitest';
import { egfrCkdEpi2021 } from './egfr.ts';

// Worked examples of the CKD-EPI 2021 creatinine equation (Inker et al., N Engl J Med 2021;385:1737–49;
// the NKF/ASN eGFR calculator gives the same rounded values), as listed in issue 3's acceptance.
describe('CKD-EPI 2021 eGFR', () => {
  it.each([
    ['male', 50, 1.0, 92],
    ['female', 50, 0.6, 109],
    ['female', 75, 1.5, 36],
  ] as const)('%s aged %i, Scr %f mg/dL → %i', (sex, age, scr, expected) => {
    expect(Math.round(egfrCkdEpi2021(scr, age, sex) as number)).toBe(expected);
  });

  it('has no form for other sexes, children or a zero creatinine', () => {
    expect(egfrCkdEpi2021(1, 50, 'unknown')).toBeNull();
    expect(egfrCkdEpi2021(1, 12, 'male')).toBeNull();
    expect(egfrCkdEpi2021(0, 50, 'male')).toBeNull();
  });
});
