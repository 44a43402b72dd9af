import {
  indicatorById,
  indicatorForLoinc,
  normalizeQuantity,
  type Indicator,
} from '../clinical/indicators.ts';
import { supplementaryLoinc, toCatalogueUnit } from './catalogueSupplement.ts';

export interface NormalizedValue {
  indicator: string | null;
  value: number;
  unit: string;
  originalValue: number;
  originalUnit: string;
}

export type NormalizedValueResult =
  | { ok: true; value: NormalizedValue }
  | {
      ok: false;
      message: string;
      reason: 'unknown-unit' | 'implausible' | 'no-unit' | 'not-a-number';
    };

const isCandidate = (u: string | undefined): u is string =>
  typeof u === 'string' && u.trim() !== '';

/** The catalogue indicator for a LOINC code, including codes from the local supplement. */
export function indicatorForCode(code: string): Indicator | undefined {
  const supplementary = supplementaryLoinc[code];
  return indicatorForLoinc(code) ?? (supplementary ? indicatorById(supplementary) : undefined);
}

/**
 * Normalises one numeric value. Catalogue codes are converted to the canonical unit and checked
 * for plausibility; other codes are kept as they are (indicator null) as long as they carry a unit.
 * `units` lists candidate spellings of the same unit, best first (FHIR: UCUM code, then display
 * text): the first the catalogue understands wins.
 */
export function normalizeObservationValue(
  code: string,
  value: unknown,
  units: readonly (string | undefined)[],
): NormalizedValueResult {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return {
      ok: false,
      reason: 'not-a-number',
      message: `value must be a number, got ${JSON.stringify(value)}`,
    };
  }
  // Candidates are the string units that are not blank (no filtered copy: this runs per value).
  let first: string | undefined;
  for (const u of units) {
    if (isCandidate(u)) {
      first = u;
      break;
    }
  }
  if (first === undefined) return { ok: false, reason: 'no-unit', message: 'value has no unit' };

  const indicator = indicatorForCode(code);
  if (!indicator) {
    return {
      ok: true,
      value: {
        indicator: null,
        value,
        unit: first.trim(),
        originalValue: value,
        originalUnit: first,
      },
    };
  }
  let firstFailure: NormalizedValueResult | undefined;
  for (const unit of units) {
    if (!isCandidate(unit)) continue;
    const converted = toCatalogueUnit(indicator.id, value, unit);
    const normalized = normalizeQuantity(indicator, converted.value, converted.unit);
    if (normalized.ok) {
      return {
        ok: true,
        value: {
          indicator: indicator.id,
          value: normalized.value,
          unit: normalized.unit,
          originalValue: value,
          originalUnit: unit,
        },
      };
    }
    // An implausible value in a known unit is the answer; an unknown spelling lets the next try.
    if (normalized.reason === 'implausible') {
      const message = `${indicator.name.en} ${value} ${unit} is outside the plausible range ${indicator.plausible.min}–${indicator.plausible.max} ${indicator.displayUnit}`;
      return { ok: false, reason: 'implausible', message };
    }
    firstFailure ??= {
      ok: false,
      reason: 'unknown-unit',
      message: `${indicator.name.en}: unit '${unit}' is not one of ${Object.keys(indicator.conversions).join(', ')}`,
    };
  }
  return firstFailure ?? { ok: false, reason: 'no-unit', message: 'value has no unit' };
}
