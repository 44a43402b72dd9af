import type { Bilingual } from '../clinical/guideline.ts';
import type { ValidationIssue } from '../model/types.ts';

/** One input as the model used it: canonical value and unit, and where it came from (an observation id…). */
export interface RiskInputUsed {
  value: number | string | boolean;
  unit?: string;
  source?: string;
}

/**
 * A risk score's answer. With too little data the value and band are null and `missing` names the
 * absent inputs, so a caller can ask for exactly what is needed instead of guessing.
 */
export interface RiskResult {
  /** Registry id of the model, e.g. `china-par`. */
  model: string;
  value: number | null;
  unit: '%' | 'points' | 'mL/min/1.73m2';
  /** Band id as published (e.g. `low`, `medium`, `high`); null without a value or when the source defines none. */
  band: string | null;
  /** Wording for members and clinicians: flags a risk and routes to a clinician, never a diagnosis. */
  bandLabel?: Bilingual;
  inputsUsed: Record<string, RiskInputUsed>;
  /** Input names that are required but absent. */
  missing: string[];
  /** e.g. `insufficient data: missing hdl, waist`. */
  message?: string;
  citation: string;
  notes: string[];
}

/** Inputs that cannot be scored (impossible value, wrong type, outside the model's validated range). */
export interface RiskRejection {
  ok: false;
  issues: ValidationIssue[];
}

export type RiskOutcome = RiskResult | RiskRejection;

export function isRiskRejection(outcome: RiskOutcome): outcome is RiskRejection {
  return 'ok' in outcome && outcome.ok === false;
}

/** The result every model returns when required inputs are absent. */
export function insufficientData(
  base: Pick<RiskResult, 'model' | 'unit' | 'citation' | 'inputsUsed' | 'notes'>,
  missing: string[],
): RiskResult {
  return {
    ...base,
    value: null,
    band: null,
    missing,
    message: `insufficient data: missing ${missing.join(', ')}`,
  };
}
