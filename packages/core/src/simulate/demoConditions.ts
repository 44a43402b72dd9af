export const SNOMED_SYSTEM = 'http://snomed.info/sct';

/**
 * SNOMED CT concepts the demo records as clinician-confirmed conditions (codes and displays as in
 * the Synthea R4 sample records; the clinical profile maps them to tags in conditionCodes.ts).
 */
export const demoConditionCodes = {
  hypertension: { code: '38341003', display: 'Hypertension' },
  type2Diabetes: { code: '44054006', display: 'Diabetes mellitus type 2' },
  prediabetes: { code: '15777000', display: 'Prediabetes' },
  hyperlipidemia: { code: '55822004', display: 'Hyperlipidemia' },
  pregnancy: { code: '72892002', display: 'Normal pregnancy' },
  historyOfAppendectomy: { code: '428251008', display: 'History of appendectomy' },
  osteoarthritisOfHip: { code: '239872002', display: 'Osteoarthritis of hip' },
  colonCancer: { code: '363406005', display: 'Malignant tumor of colon' },
} as const;

export type DemoCondition = keyof typeof demoConditionCodes;
