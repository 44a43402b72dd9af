import type { RuleRef } from './guideline.ts';

/** CKD-EPI 2021 creatinine equation without a race term (Inker et al., N Engl J Med 2021;385:1737–49). */
export const ckdEpi2021Rule: RuleRef = {
  id: 'ckd-epi-2021/egfr-cr',
  guideline: 'CKD-EPI 2021 creatinine equation (Inker LA et al., N Engl J Med 2021;385:1737–1749)',
  year: 2021,
  section: 'eGFR = 142 × min(Scr/κ,1)^α × max(Scr/κ,1)^−1.200 × 0.9938^age × 1.012 [female]',
};

/** µmol/L → mg/dL for creatinine (molar mass 113.12 g/mol). */
export const creatinineUmolPerMgdl = 88.42;

/**
 * eGFR (mL/min/1.73 m²) from serum creatinine in mg/dL, age in years and sex. Returns null when the
 * sex is not male/female (the equation has no other form) or the inputs are not usable.
 */
export function egfrCkdEpi2021(scrMgdl: number, ageYears: number, sex: string): number | null {
  if (sex !== 'male' && sex !== 'female') return null;
  if (!(scrMgdl > 0) || !(ageYears >= 18)) return null;
  const female = sex === 'female';
  const kappa = female ? 0.7 : 0.9;
  const alpha = female ? -0.241 : -0.302;
  const r = scrMgdl / kappa;
  return (
    142 *
    Math.min(r, 1) ** alpha *
    Math.max(r, 1) ** -1.2 *
    0.9938 ** ageYears *
    (female ? 1.012 : 1)
  );
}
