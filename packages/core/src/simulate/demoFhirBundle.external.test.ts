import { readFileSync } from 'node:fs';
import type { Observation } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { sharedData } from '../../../../test-support/sharedData.ts';
import { demoFhirBundle } from './demoFhirBundle.ts';
import { generateDemoPopulation } from './generateDemoPopulation.ts';

/**
 * Checks the demo bundle's vital signs against the FHIR R4 (4.0.1) vital-signs profiles shipped
 * with the specification: the fixed codes, systems and units those profiles require.
 */
interface ElementDefinition {
  id: string;
  min?: number;
  fixedUri?: string;
  fixedCode?: string;
  binding?: { strength?: string; valueSet?: string };
}
interface Profile {
  differential: { element: ElementDefinition[] };
}

const readJson = <T>(file: string): T =>
  JSON.parse(readFileSync(sharedData('fhir-r4-examples', file), 'utf8')) as T;
const element = (p: Profile, id: string): ElementDefinition => {
  const e = p.differential.element.find((x) => x.id === id);
  if (!e) throw new Error(`profile has no element ${id}`);
  return e;
};

const population = generateDemoPopulation({
  seed: 11,
  members: 60,
  start: new Date('2024-01-01T00:00:00Z'),
  end: new Date('2024-03-01T00:00:00Z'),
});
const observations = (demoFhirBundle(population).entry ?? [])
  .filter((e) => e.resource?.resourceType === 'Observation')
  .map((e) => e.resource as Observation);

describe('demoFhirBundle against the FHIR R4 vital-signs profiles', () => {
  const vitalSigns = readJson<Profile>('vitalsigns.profile.json');
  const ucumVitals = new Set(
    readJson<{ compose: { include: { concept: { code: string }[] }[] } }>(
      'valueset-ucum-vitals-common.json',
    ).compose.include.flatMap((i) => i.concept.map((c) => c.code)),
  );
  const categorySystem = element(vitalSigns, 'Observation.category:VSCat.coding.system').fixedUri;
  const categoryCode = element(vitalSigns, 'Observation.category:VSCat.coding.code').fixedCode;

  const conformsToVitalSigns = (o: Observation): void => {
    expect(o.status).toBe('final');
    expect(
      o.category?.some((c) =>
        c.coding?.some((x) => x.system === categorySystem && x.code === categoryCode),
      ),
    ).toBe(true);
    expect(o.subject?.reference).toBeTruthy();
    expect(o.effectiveDateTime ?? o.effectivePeriod).toBeTruthy();
  };

  it('blood pressure panels follow the BP profile (85354-9, 8480-6 / 8462-4 in mm[Hg])', () => {
    const bp = readJson<Profile>('bp.profile.json');
    const panelCode = element(bp, 'Observation.code.coding:BPCode.code').fixedCode;
    const sbpCode = element(
      bp,
      'Observation.component:SystolicBP.code.coding:SBPCode.code',
    ).fixedCode;
    const dbpCode = element(
      bp,
      'Observation.component:DiastolicBP.code.coding:DBPCode.code',
    ).fixedCode;
    const unit = element(bp, 'Observation.component:SystolicBP.valueQuantity.code').fixedCode;
    const unitSystem = element(
      bp,
      'Observation.component:SystolicBP.valueQuantity.system',
    ).fixedUri;
    const panels = observations.filter((o) => o.code.coding?.some((c) => c.code === panelCode));
    expect(panels.length).toBeGreaterThan(100);
    for (const o of panels) {
      conformsToVitalSigns(o);
      expect(o.valueQuantity).toBeUndefined(); // valueQuantity 0..0 in the BP profile
      for (const code of [sbpCode, dbpCode]) {
        const c = o.component?.find((x) =>
          x.code.coding?.some((k) => k.system === 'http://loinc.org' && k.code === code),
        );
        expect(c?.valueQuantity?.code).toBe(unit);
        expect(c?.valueQuantity?.system).toBe(unitSystem);
        expect(typeof c?.valueQuantity?.value).toBe('number');
        expect(c?.valueQuantity?.unit).toBeTruthy();
      }
    }
  });

  it.each([
    ['heartrate.profile.json', 'HeartRateCode'],
    ['bodyweight.profile.json', 'BodyWeightCode'],
    ['bodyheight.profile.json', 'BodyHeightCode'],
  ])('%s: fixed LOINC code, UCUM system and a unit from the vital-signs units', (file, slice) => {
    const profile = readJson<Profile>(file);
    const code = element(profile, `Observation.code.coding:${slice}.code`).fixedCode;
    const fixedUnit = element(profile, 'Observation.valueQuantity.code').fixedCode;
    const matching = observations.filter((o) =>
      o.code.coding?.some((c) => c.system === 'http://loinc.org' && c.code === code),
    );
    expect(matching.length).toBeGreaterThan(10);
    for (const o of matching) {
      conformsToVitalSigns(o);
      const q = o.valueQuantity;
      expect(typeof q?.value).toBe('number');
      expect(q?.unit).toBeTruthy();
      expect(q?.system).toBe(element(profile, 'Observation.valueQuantity.system').fixedUri);
      if (fixedUnit) expect(q?.code).toBe(fixedUnit);
      else expect(ucumVitals.has(q?.code ?? '')).toBe(true);
    }
  });
});
