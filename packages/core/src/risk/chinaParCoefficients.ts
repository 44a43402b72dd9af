/**
 * China-PAR 10-year ASCVD equations: Yang X, Li J, Hu D, et al. Circulation 2016;134:1430–1440
 * (doi:10.1161/CIRCULATIONAHA.116.022367), Data Supplement Table 1 (coefficients, mean sums, worked
 * example) and Table 2 (the worked profile at ages 40/50/60/70). Continuous terms are natural logs;
 * TC and HDL-C in mg/dL, SBP in mmHg, waist in cm; flags are 0/1.
 *
 * The supplement prints coefficients to two decimals, too coarse to reproduce the paper's own
 * Table 2 (the printed men's set runs ~6 % high). The constants used are therefore reconciled with
 * numbers the paper prints more precisely, and every one of them still rounds to the printed
 * coefficient (checked in chinaPar.test.ts). How, and what stays uncertain: docs/risk-scores.md.
 */

export interface ChinaParTerms {
  lnAge: number;
  lnSbpTreated: number;
  lnSbpUntreated: number;
  lnTc: number;
  lnHdl: number;
  lnWaist: number;
  smoker: number;
  diabetes: number;
  north: number;
  urban: number;
  familyHistory: number;
  lnAgeXLnSbpTreated: number;
  lnAgeXLnSbpUntreated: number;
  lnAgeXSmoker: number;
  lnAgeXFamilyHistory: number;
}

export interface ChinaParEquation {
  coefficients: ChinaParTerms;
  /** Mean of the individual sums in the derivation cohort (supplement Table 1). */
  meanSum: number;
  /** 10-year baseline survival S10: risk = 1 − S10^exp(sum − meanSum). */
  baselineSurvival: number;
}

/** Supplemental Table 1 as printed. The women's equation has no urban, family-history or age×smoking terms. */
export const chinaParPrinted: Record<'male' | 'female', ChinaParTerms> = {
  male: {
    lnAge: 31.97,
    lnSbpTreated: 27.39,
    lnSbpUntreated: 26.15,
    lnTc: 0.62,
    lnHdl: -0.69,
    lnWaist: -0.71,
    smoker: 3.96,
    diabetes: 0.36,
    north: 0.48,
    urban: -0.16,
    familyHistory: 6.22,
    lnAgeXLnSbpTreated: -6.02,
    lnAgeXLnSbpUntreated: -5.73,
    lnAgeXSmoker: -0.94,
    lnAgeXFamilyHistory: -1.53,
  },
  female: {
    lnAge: 24.87,
    lnSbpTreated: 20.71,
    lnSbpUntreated: 19.98,
    lnTc: 0.06,
    lnHdl: -0.22,
    lnWaist: 1.48,
    smoker: 0.49,
    diabetes: 0.57,
    north: 0.54,
    urban: 0,
    familyHistory: 0,
    lnAgeXLnSbpTreated: -4.53,
    lnAgeXLnSbpUntreated: -4.36,
    lnAgeXSmoker: 0,
    lnAgeXFamilyHistory: 0,
  },
};

/** Printed S10 (men 0.9707 in the supplement's worked formula; women only "0.99" in Table 1) and mean sums. */
export const chinaParPrintedBaseline = {
  male: { meanSum: 140.68, baselineSurvival: 0.9707 },
  female: { meanSum: 117.26, baselineSurvival: 0.99 },
} as const;

/** The worked profile of supplement Table 1 / Table 2: SBP 130 untreated, TC 210, HDL-C 55 mg/dL, waist 80 cm. */
export const chinaParWorkedExample = { age: 60, sbp: 130, tc: 210, hdl: 55, waist: 80 } as const;

/**
 * Men's "coefficient × value" column of the worked example (age 60). The authors computed it with
 * unrounded coefficients, so product ÷ value recovers each continuous coefficient to ~4 digits.
 */
export const chinaParMenExampleProducts = {
  lnAge: 130.88,
  lnSbpUntreated: 127.28,
  lnTc: 3.32,
  lnHdl: -2.78,
  lnWaist: -3.12,
  lnAgeXLnSbpUntreated: -114.21,
} as const;

const ex = chinaParWorkedExample;
const lnAge60 = Math.log(ex.age);
const lnSbp130 = Math.log(ex.sbp);
const p = chinaParPrinted;

const menUntreated = {
  lnAge: chinaParMenExampleProducts.lnAge / lnAge60,
  lnSbpUntreated: chinaParMenExampleProducts.lnSbpUntreated / lnSbp130,
  lnTc: chinaParMenExampleProducts.lnTc / Math.log(ex.tc),
  lnHdl: chinaParMenExampleProducts.lnHdl / Math.log(ex.hdl),
  lnWaist: chinaParMenExampleProducts.lnWaist / Math.log(ex.waist),
  lnAgeXLnSbpUntreated: chinaParMenExampleProducts.lnAgeXLnSbpUntreated / (lnAge60 * lnSbp130),
};

/**
 * Women: no products are printed. With every printed coefficient, the age gradient of Table 2
 * (2.4 / 5.4 / 10.1 / 17.1 % at 40/50/60/70) cannot be met to the printed decimal; −4.3631, inside
 * the rounding interval of the printed −4.36, is the value that meets all four (±0.0001 works).
 */
const womenLnAgeXLnSbpUntreated = -4.3631;

/**
 * Treated SBP: the treated terms are applied as their published difference from the untreated terms,
 * so the correction the worked example forces on the untreated terms carries over. No worked example
 * uses treated SBP, so these two coefficients stay uncertain by the printed rounding (±0.005 each).
 */
const treatedFrom = (
  sex: 'male' | 'female',
  lnSbpUntreated: number,
  lnAgeXLnSbpUntreated: number,
) => ({
  lnSbpTreated: lnSbpUntreated + (p[sex].lnSbpTreated - p[sex].lnSbpUntreated),
  lnAgeXLnSbpTreated:
    lnAgeXLnSbpUntreated + (p[sex].lnAgeXLnSbpTreated - p[sex].lnAgeXLnSbpUntreated),
});

export const chinaParTreatedRoundingHalfWidth = 0.005;

export const chinaParEquations: Record<'male' | 'female', ChinaParEquation> = {
  male: {
    coefficients: {
      ...p.male,
      ...menUntreated,
      ...treatedFrom('male', menUntreated.lnSbpUntreated, menUntreated.lnAgeXLnSbpUntreated),
    },
    meanSum: chinaParPrintedBaseline.male.meanSum,
    // Solved so the worked example (our sum 142.05) gives Table 2's 11.0 % with all four ages
    // reproduced; 0.97076–0.97092 all do. The supplement's formula prints 0.9707.
    baselineSurvival: 0.97085,
  },
  female: {
    coefficients: {
      ...p.female,
      lnAgeXLnSbpUntreated: womenLnAgeXLnSbpUntreated,
      ...treatedFrom('female', p.female.lnSbpUntreated, womenLnAgeXLnSbpUntreated),
    },
    meanSum: chinaParPrintedBaseline.female.meanSum,
    // Solved together with the interaction above so Table 2 is met at all four ages. Table 1 prints
    // only 0.99, which puts the paper's own worked example (10.1 %) at 6.9 %.
    baselineSurvival: 0.98415,
  },
};
