import type { BundleEntry, MedicationRequest, Observation, Patient } from 'fhir/r4';
import * as rruleModule from 'rrule';
import { beforeAll, describe, expect, it } from 'vitest';
import { indicatorForLoinc, normalizeQuantity } from '../clinical/indicators.ts';
import type { DemoMember } from './demoMember.ts';
import { DEMO_MEMBER_SYSTEM, demoFhirBundle } from './demoFhirBundle.ts';
import { generateDemoPopulation } from './generateDemoPopulation.ts';

const { RRule } =
  (rruleModule as unknown as { default?: typeof rruleModule }).default ?? rruleModule;

const start = new Date('2024-01-01T00:00:00Z');
const end = new Date('2024-04-01T00:00:00Z');
let members: DemoMember[];
beforeAll(() => {
  members = generateDemoPopulation({ seed: 3, members: 40, start, end });
});

const resources = <T>(entries: BundleEntry[], type: string): T[] =>
  entries.filter((e) => e.resource?.resourceType === type).map((e) => e.resource as T);
const uuidUrl = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('demoFhirBundle', () => {
  it('is a transaction whose entries are POSTs with unique urn:uuid full URLs', () => {
    const bundle = demoFhirBundle(members.slice(0, 5));
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.type).toBe('transaction');
    const entries = bundle.entry ?? [];
    expect(entries.length).toBeGreaterThan(5);
    for (const e of entries) {
      expect(e.fullUrl).toMatch(uuidUrl);
      expect(e.request?.method).toBe('POST');
      expect(e.request?.url).toBe(e.resource?.resourceType);
    }
    expect(new Set(entries.map((e) => e.fullUrl)).size).toBe(entries.length);
    expect(JSON.stringify(demoFhirBundle(members.slice(0, 5)))).toBe(JSON.stringify(bundle));
  });

  it('has one Patient per member, conditional on its identifier, and every subject resolves to it', () => {
    const chosen = members.slice(0, 8);
    const entries = demoFhirBundle(chosen).entry ?? [];
    const patients = entries.filter((e) => e.resource?.resourceType === 'Patient');
    expect(patients).toHaveLength(8);
    const patientUrls = new Map(patients.map((e) => [e.fullUrl, e.resource as Patient]));
    for (const [i, e] of patients.entries()) {
      const p = e.resource as Patient;
      const m = chosen[i]!;
      expect(p.id).toBe(m.member.externalRef);
      expect(p.identifier).toEqual([{ system: DEMO_MEMBER_SYSTEM, value: m.member.externalRef }]);
      expect(e.request?.ifNoneExist).toBe(
        `identifier=${DEMO_MEMBER_SYSTEM}|${m.member.externalRef}`,
      );
      expect(p.name?.[0]?.text).toBe(m.member.name);
      expect(p.gender).toBe(m.member.gender);
      expect(p.birthDate).toBe(m.member.birthDate);
      expect(p.extension?.[0]?.valueCode).toBe(m.member.timeZone);
      expect(p.communication?.[0]?.language.coding?.[0]?.code).toBe(m.member.locale);
    }
    for (const e of entries) {
      if (e.resource?.resourceType === 'Patient') continue;
      const subject = (e.resource as { subject?: { reference?: string } }).subject?.reference;
      expect(patientUrls.has(subject)).toBe(true);
    }
    // Each member's resources point at their own Patient.
    const firstPatient = patients[0]!.fullUrl;
    const firstObs = resources<Observation>(entries, 'Observation').filter(
      (o) => o.subject?.reference === firstPatient,
    );
    expect(firstObs.length).toBe(
      chosen[0]!.observations.length -
        chosen[0]!.observations.filter((o) => o.indicator === 'dbp').length,
    );
  });

  it('writes BP as panels 85354-9 with 8480-6 / 8462-4 components in mm[Hg]', () => {
    const member = members.find((m) => m.observations.some((o) => o.indicator === 'sbp'))!;
    const obs = resources<Observation>(demoFhirBundle([member]).entry ?? [], 'Observation');
    const panels = obs.filter((o) => o.code.coding?.[0]?.code === '85354-9');
    const readings = member.observations.filter((o) => o.indicator === 'sbp');
    expect(panels).toHaveLength(readings.length);
    for (const [i, panel] of panels.entries()) {
      expect(panel.valueQuantity).toBeUndefined();
      expect(panel.category?.[0]?.coding?.[0]?.code).toBe('vital-signs');
      const [sbp, dbp] = panel.component ?? [];
      expect(sbp?.code.coding?.[0]).toEqual({ system: 'http://loinc.org', code: '8480-6' });
      expect(dbp?.code.coding?.[0]).toEqual({ system: 'http://loinc.org', code: '8462-4' });
      expect(sbp?.valueQuantity?.code).toBe('mm[Hg]');
      expect(sbp?.valueQuantity?.system).toBe('http://unitsofmeasure.org');
      expect(sbp?.valueQuantity?.value).toBe(readings[i]!.value);
      expect(panel.effectiveDateTime).toBe(readings[i]!.effectiveAt);
    }
    expect(obs.some((o) => o.component && o.component.length !== 2)).toBe(false);
  });

  it('keeps each value in its source unit (glucose in mmol/L or mg/dL) and it normalises back exactly', () => {
    const entries = demoFhirBundle(members).entry ?? [];
    const byKey = new Map(
      members.flatMap((m) => m.observations.map((o) => [o.idempotencyKey, o] as const)),
    );
    const units = new Set<string>();
    let checked = 0;
    for (const o of resources<Observation>(entries, 'Observation')) {
      if (o.component) continue;
      const source = byKey.get(o.identifier?.[0]?.value ?? '');
      expect(source).toBeDefined();
      const code = o.code.coding?.[0]?.code ?? '';
      const ind = indicatorForLoinc(code);
      expect(ind?.id).toBe(source!.indicator);
      const q = o.valueQuantity!;
      const n = normalizeQuantity(ind!, q.value!, q.code!);
      expect(n.ok && n.value).toBe(source!.value);
      if (ind!.id === 'fpg' || ind!.id === 'ogtt_2h' || ind!.id === 'glucose') units.add(q.code!);
      if (source!.effectiveEnd)
        expect(o.effectivePeriod).toEqual({
          start: source!.effectiveAt,
          end: source!.effectiveEnd,
        });
      else expect(o.effectiveDateTime).toBe(source!.effectiveAt);
      checked++;
    }
    expect(checked).toBeGreaterThan(1000);
    expect(units).toEqual(new Set(['mmol/L', 'mg/dL']));
  });

  it('carries conditions and medication requests whose timing matches the RRULE', () => {
    const treated = members.filter((m) => m.medications.length > 0).slice(0, 10);
    const entries = demoFhirBundle(treated).entry ?? [];
    const meds = resources<MedicationRequest>(entries, 'MedicationRequest');
    expect(meds).toHaveLength(treated.reduce((s, m) => s + m.medications.length, 0));
    expect(resources(entries, 'Condition')).toHaveLength(
      treated.reduce((s, m) => s + m.conditions.length, 0),
    );
    const sourceMeds = treated.flatMap((m) => m.medications);
    meds.forEach((req, i) => {
      const med = sourceMeds[i]!;
      const rule = RRule.parseString(med.rrule!);
      const hours = ([] as number[]).concat(rule.byhour ?? []);
      const repeat = req.dosageInstruction?.[0]?.timing?.repeat;
      expect(repeat?.frequency).toBe(hours.length);
      expect(repeat?.periodUnit).toBe('d');
      expect(repeat?.timeOfDay?.map((t) => Number(t.slice(0, 2)))).toEqual(hours);
      expect(repeat?.count).toBe(rule.count ?? undefined);
      expect(req.medicationCodeableConcept?.text).toBe(med.name);
      expect(req.status).toBe(med.status);
    });
  });

  it('caps observations at maxObservations, shared across members, a BP panel counting once', () => {
    const chosen = members.slice(0, 4);
    const entries = demoFhirBundle(chosen, { maxObservations: 10 }).entry ?? [];
    const obs = resources<Observation>(entries, 'Observation');
    expect(obs).toHaveLength(10);
    const perPatient = new Map<string, number>();
    for (const o of obs)
      perPatient.set(o.subject!.reference!, (perPatient.get(o.subject!.reference!) ?? 0) + 1);
    expect([...perPatient.values()].sort()).toEqual([2, 2, 3, 3]);
    expect(resources(entries, 'Patient')).toHaveLength(4);
    expect(
      resources<Observation>(
        demoFhirBundle(chosen, { maxObservations: 0 }).entry ?? [],
        'Observation',
      ),
    ).toEqual([]);
    expect(() => demoFhirBundle(chosen, { maxObservations: -1 })).toThrow(/maxObservations/);
  });
});
