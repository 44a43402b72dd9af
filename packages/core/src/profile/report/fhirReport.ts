import type { Bundle, DiagnosticReport, Observation, Quantity, Resource } from 'fhir/r4';
import type { ValidationIssue } from '../../model/types.ts';
import { indicatorForLoinc, indicatorForName } from '../../clinical/indicators.ts';
import type { CheckupItem, CheckupReport, ParsedReference } from './checkupReport.ts';

const loincSystem = 'http://loinc.org';

function isResource(x: unknown, type: string): boolean {
  return (
    typeof x === 'object' && x !== null && (x as { resourceType?: unknown }).resourceType === type
  );
}

function flagOf(o: Observation): CheckupItem['flag'] | undefined {
  for (const i of o.interpretation ?? []) {
    for (const c of i.coding ?? []) {
      const code = (c.code ?? '').toUpperCase();
      if (code === 'H' || code === 'HH' || code === 'HU') return 'high';
      if (code === 'L' || code === 'LL' || code === 'LU') return 'low';
      if (code === 'A' || code === 'AA') return 'abnormal';
    }
  }
  return undefined;
}

function referenceOf(o: Observation): ParsedReference | null {
  const r = o.referenceRange?.[0];
  if (!r) return null;
  const low = r.low?.value;
  const high = r.high?.value;
  if (low === undefined && high === undefined)
    return r.text ? { qualitative: r.text, text: r.text } : null;
  const text =
    r.text ??
    (low !== undefined && high !== undefined
      ? `${low}-${high}`
      : high !== undefined
        ? `≤${high}`
        : `≥${low}`);
  const out: ParsedReference = { text };
  if (low !== undefined) {
    out.low = low;
    out.lowInclusive = true;
  }
  if (high !== undefined) {
    out.high = high;
    out.highInclusive = true;
  }
  return out;
}

function observationItem(
  o: Observation,
  path: string,
  issues: ValidationIssue[],
): CheckupItem | null {
  const coding = o.code?.coding ?? [];
  const loinc =
    coding.find((c) => c.system === loincSystem && c.code)?.code ??
    coding.find((c) => c.code)?.code;
  const name = o.code?.text ?? coding.find((c) => c.display)?.display ?? loinc ?? '';
  if (!name) {
    issues.push({ path: `${path}.code`, message: 'Observation has no code or name' });
    return null;
  }
  const indicator = (loinc ? indicatorForLoinc(loinc) : undefined) ?? indicatorForName(name);
  const q: Quantity | undefined = o.valueQuantity;
  let value: number | null = null;
  let valueText: string;
  if (q && typeof q.value === 'number') {
    value = q.value;
    valueText = `${q.comparator ?? ''}${q.value}`;
  } else if (o.valueString !== undefined) valueText = o.valueString;
  else if (o.valueCodeableConcept)
    valueText = o.valueCodeableConcept.text ?? o.valueCodeableConcept.coding?.[0]?.display ?? '';
  else {
    issues.push({
      path: `${path}.value[x]`,
      message: `${name}: no value (valueQuantity, valueString or valueCodeableConcept)`,
    });
    return null;
  }
  const item: CheckupItem = {
    path,
    name,
    indicatorId: indicator?.id ?? null,
    value,
    valueText,
    unit: q?.code ?? q?.unit ?? null,
    reference: referenceOf(o),
  };
  if (loinc) item.code = loinc;
  if (o.id) item.sourceId = o.id;
  const flag = flagOf(o);
  if (flag) item.flag = flag;
  return item;
}

/**
 * A FHIR DiagnosticReport with its Observations: contained in the report, or entries of a Bundle
 * the report's `result` references point to (by `Observation/id`, fullUrl or `#id`).
 */
export function parseFhirReport(input: unknown): CheckupReport {
  const issues: ValidationIssue[] = [];
  const byRef = new Map<string, { o: Observation; path: string }>();
  let report: DiagnosticReport | undefined;
  let reportPath = '';
  const loose: { o: Observation; path: string }[] = [];
  if (isResource(input, 'Bundle')) {
    ((input as Bundle).entry ?? []).forEach((e, i) => {
      const r = e.resource as Resource | undefined;
      if (!r) return;
      if (r.resourceType === 'DiagnosticReport' && !report) {
        report = r as DiagnosticReport;
        reportPath = `entry[${i}].resource`;
      } else if (r.resourceType === 'Observation') {
        const entry = { o: r as Observation, path: `entry[${i}].resource` };
        loose.push(entry);
        if (r.id) byRef.set(`Observation/${r.id}`, entry);
        if (e.fullUrl) byRef.set(e.fullUrl, entry);
      }
    });
  } else if (isResource(input, 'DiagnosticReport')) {
    report = input as DiagnosticReport;
  } else {
    return {
      date: null,
      format: 'fhir',
      items: [],
      issues: [
        { path: 'resourceType', message: 'expected a DiagnosticReport or a Bundle holding one' },
      ],
    };
  }
  (report?.contained ?? []).forEach((c, i) => {
    if (c.resourceType === 'Observation' && c.id)
      byRef.set(`#${c.id}`, {
        o: c as Observation,
        path: `${reportPath ? `${reportPath}.` : ''}contained[${i}]`,
      });
  });
  const items: CheckupItem[] = [];
  let observations: { o: Observation; path: string }[];
  if (report?.result && report.result.length > 0) {
    observations = [];
    report.result.forEach((ref, i) => {
      const found = ref.reference ? byRef.get(ref.reference) : undefined;
      if (found) observations.push(found);
      else
        issues.push({
          path: `${reportPath ? `${reportPath}.` : ''}result[${i}]`,
          message: `reference '${ref.reference ?? ''}' does not resolve to an Observation in the report or bundle`,
        });
    });
  } else {
    observations = loose;
    if (!report)
      issues.push({
        path: 'entry',
        message: 'no DiagnosticReport in the bundle; reading its Observations',
      });
  }
  for (const { o, path } of observations) {
    const item = observationItem(o, path, issues);
    if (item) items.push(item);
  }
  const dateSource =
    report?.effectiveDateTime ?? report?.issued ?? observations[0]?.o.effectiveDateTime ?? null;
  return { date: dateSource ? dateSource.slice(0, 10) : null, format: 'fhir', items, issues };
}
