/**
 * Clinician-recorded conditions (FHIR Condition) that the profile accepts as evidence for a tag, by
 * SNOMED CT code or ICD-10 category. Data: the eval compares derived tags with the same table.
 */
export type ConditionTag =
  'hypertension' | 'diabetes' | 'prediabetes' | 'dyslipidemia' | 'hyperuricemia' | 'ckd';

export const conditionTagCodes: Record<
  ConditionTag,
  { snomed: readonly string[]; icd10Prefixes: readonly string[] }
> = {
  hypertension: {
    snomed: ['38341003', '59621000', '1201005', '10725009'],
    icd10Prefixes: ['I10', 'I11', 'I12', 'I13', 'I15'],
  },
  diabetes: {
    snomed: ['44054006', '73211009', '46635009'],
    icd10Prefixes: ['E10', 'E11', 'E13', 'E14'],
  },
  prediabetes: { snomed: ['15777000', '9414007', '390951007'], icd10Prefixes: ['R73.0'] },
  dyslipidemia: {
    snomed: ['55822004', '302870006', '13644009', '370992007', '267432004'],
    icd10Prefixes: ['E78'],
  },
  hyperuricemia: { snomed: ['35885006', '90560007'], icd10Prefixes: ['E79.0', 'M10'] },
  ckd: {
    snomed: [
      '709044004',
      '431855005',
      '431856006',
      '433144002',
      '431857002',
      '433146000',
      '46177005',
    ],
    icd10Prefixes: ['N18'],
  },
};

const inactive = new Set(['inactive', 'resolved', 'remission', 'entered-in-error', 'refuted']);

/** The tags a condition supports; none when it is resolved, abated or the code is not in the table. */
export function conditionTags(c: {
  system: string;
  code: string;
  clinicalStatus: string | null;
  abatement: string | null;
}): ConditionTag[] {
  if (c.clinicalStatus && inactive.has(c.clinicalStatus.toLowerCase())) return [];
  if (c.abatement) return [];
  const system = c.system.toLowerCase();
  const isSnomed = system.includes('snomed');
  const isIcd10 = system.includes('icd-10') || system.includes('icd10');
  const code = c.code.trim().toUpperCase();
  const tags: ConditionTag[] = [];
  for (const [tag, codes] of Object.entries(conditionTagCodes) as [
    ConditionTag,
    (typeof conditionTagCodes)[ConditionTag],
  ][]) {
    if (isSnomed && codes.snomed.includes(code)) tags.push(tag);
    else if (isIcd10 && codes.icd10Prefixes.some((p) => code.startsWith(p))) tags.push(tag);
  }
  return tags;
}
