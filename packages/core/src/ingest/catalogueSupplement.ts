/**
 * What the importers need beyond the indicator catalogue (clinical/indicators.ts, owned elsewhere):
 * LOINC codes the catalogue does not list yet and unit spellings real sources use. Each entry
 * maps onto a catalogue indicator and one of its units, so conversion and plausibility checks
 * stay in the catalogue. Candidates to fold into the catalogue later.
 */

/** LOINC → catalogue indicator id, for codes seen in real inputs but absent from the catalogue. */
export const supplementaryLoinc: Readonly<Record<string, string>> = {
  // Triglyceride [Moles/volume] in Serum or Plasma (HL7 FHIR R4 lipid DiagnosticReport example).
  '35217-9': 'tg',
};

/**
 * Source unit spelling → catalogue unit, regardless of indicator. FHIR `unit` is display text,
 * so clinics write `mmol/l`, `mm Hg`, `beats/minute`; Apple Health writes `degC`, `count/min`.
 */
const unitSpellings: Readonly<Record<string, string>> = {
  'mmol/l': 'mmol/L',
  'umol/l': 'umol/L',
  'µmol/l': 'umol/L',
  'μmol/L': 'umol/L',
  'mm Hg': 'mm[Hg]',
  mmhg: 'mm[Hg]',
  'beats/minute': '/min',
  'beats/min': '/min',
  '{beats}/min': '/min',
  degC: 'Cel',
  C: 'Cel',
  '°c': 'Cel',
  degF: '[degF]',
  '°F': '[degF]',
  lbs: '[lb_av]',
  ft: '[ft_i]',
  sec: 's',
  'kg/m²': 'kg/m2',
};

/** Units that need a value conversion before the catalogue can take them (per indicator). */
const valueConversions: Readonly<
  Record<string, Readonly<Record<string, { factor: number; unit: string }>>>
> = {
  // 1 avoirdupois ounce = 28.349523125 g; 1 stone = 14 lb = 6.35029318 kg (NIST SP 811, App. B.8).
  weight: {
    oz: { factor: 0.028349523125, unit: 'kg' },
    '[oz_av]': { factor: 0.028349523125, unit: 'kg' },
    st: { factor: 6.35029318, unit: 'kg' },
    '[stone_av]': { factor: 6.35029318, unit: 'kg' },
  },
};

// Apple Health writes molar glucose as `mmol<180.1558800000541>/L` (the molar mass inside).
const appleMolarUnit = /^mmol<[\d.]+>\/L$/;

/**
 * Rewrites a source unit (and value) into one the catalogue indicator converts from, or returns
 * the unit unchanged so the catalogue reports it as unknown.
 */
export function toCatalogueUnit(
  indicatorId: string,
  value: number,
  unit: string,
): { value: number; unit: string } {
  const trimmed = unit.trim();
  const special = valueConversions[indicatorId]?.[trimmed];
  if (special) return { value: value * special.factor, unit: special.unit };
  if (trimmed.startsWith('mmol<') && appleMolarUnit.test(trimmed)) return { value, unit: 'mmol/L' };
  return { value, unit: catalogueSpelling(trimmed) };
}

/** Memo of the spelling lookup (a handful of distinct units; saves a lower-cased copy per value). */
const spellings = new Map<string, string>();
function catalogueSpelling(trimmed: string): string {
  let unit = spellings.get(trimmed);
  if (unit === undefined) {
    unit = unitSpellings[trimmed] ?? unitSpellings[trimmed.toLowerCase()] ?? trimmed;
    if (spellings.size >= 10_000) spellings.clear();
    spellings.set(trimmed, unit);
  }
  return unit;
}
