import { describe, expect, it } from 'vitest';
import { sharedData } from '../../../../test-support/sharedData.ts';
import { evaluateSyntheaFolder } from './evalSynthea.ts';

// Tags derived from observations only (中国高血压防治指南 2018: office readings ≥ 140/90 on separate
// days) against the Synthea bundles' Condition resources (SNOMED 38341003 hypertension).
describe('careloop eval synthea on ../shared/data/synthea-r4', () => {
  it('hypertension agreement ≥ 95 %, every bundle evaluated', async () => {
    const result = await evaluateSyntheaFolder(sharedData('synthea-r4'));
    expect(result.issues).toEqual([]);
    expect(result.patients.length).toBeGreaterThanOrEqual(38);
    const htn = result.confusion.find((c) => c.tag === 'hypertension');
    expect(htn).toBeDefined();
    expect(htn?.agreement).toBeGreaterThanOrEqual(0.95);
    // The truth side is really populated (Synthea marks about half of these patients hypertensive).
    expect((htn?.tp ?? 0) + (htn?.fn ?? 0)).toBeGreaterThan(10);
  });
});
