/**
 * Open mHealth schema rules, coded by hand from openmhealth/schemas (schema/omh at commit 36078a8,
 * plus the IEEE 1752.1 base schemas the newest versions reference). The schema files are not
 * shipped with CareLoop; the external test proves these rules against the schemas' own
 * shouldPass / shouldFail test data. Unknown extra properties are allowed, as in the schemas.
 */

export type TimeFrameFlavour = 'omh' | 'ieee';

export type OmhFieldRule =
  /** {value: number, unit: one of units} (unit-value-1.x with a unit enum). */
  | { kind: 'unitValue'; units: readonly string[] }
  /** A bare JSON number (step-count 1.0/2.0). */
  | { kind: 'number' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'string' }
  /**
   * time-frame-1.x: exactly one of date_time / time_interval. The omh flavour's time interval
   * also allows date + part_of_day; IEEE 1752.1's does not. `intervalRequired`: the schema
   * version demands a time_interval (step-count ≥2.0, sleep-duration 2.0).
   */
  | { kind: 'timeFrame'; flavour: TimeFrameFlavour; intervalRequired: boolean };

export interface OmhSchemaRules {
  name: OmhSchemaName;
  version: string;
  required: readonly string[];
  fields: Readonly<Record<string, OmhFieldRule>>;
}

export type OmhSchemaName =
  | 'blood-pressure'
  | 'blood-glucose'
  | 'heart-rate'
  | 'step-count'
  | 'body-weight'
  | 'sleep-duration';

// Value sets (schema file in brackets).
/** [duration-unit-value-1.0, IEEE duration-unit-value-1.0] */
export const durationUnits = [
  'ps',
  'ns',
  'us',
  'ms',
  'sec',
  'min',
  'h',
  'd',
  'wk',
  'Mo',
  'yr',
] as const;
/** [part-of-day-1.0] */
export const partsOfDay = ['morning', 'afternoon', 'evening', 'night'] as const;
/** [descriptive-statistic-1.0] */
const omhStatistics = [
  'average',
  'maximum',
  'minimum',
  'standard deviation',
  'variance',
  'sum',
  'median',
];
/** [IEEE descriptive-statistic-1.0] */
const ieeeStatistics = [
  'average',
  'count',
  'maximum',
  'median',
  'minimum',
  'standard deviation',
  'sum',
  'variance',
  '20th percentile',
  '80th percentile',
  'lower quartile',
  'upper quartile',
  'quartile deviation',
  '1st quintile',
  '2nd quintile',
  '3rd quintile',
  '4th quintile',
];
/** [position-during-measurement-1.0] */
const positions = ['sitting', 'lying down', 'standing'];
/** [body-posture-1.0] */
const postures = ['sitting', 'lying down', 'standing', 'semi-recumbent'];
/** [body-location-1.1] */
const bodyLocations = [
  'left ankle',
  'right ankle',
  'left hip',
  'right hip',
  'left thigh',
  'right thigh',
  'left thorax',
  'middle left thorax',
  'left upper arm',
  'right upper arm',
  'left wrist',
  'right wrist',
];
/** [temporal-relationship-to-physical-activity-1.0] */
const toActivity = ['at rest', 'active', 'before exercise', 'after exercise', 'during exercise'];
/** [temporal-relationship-to-sleep-1.0] */
const toSleep = ['before sleeping', 'during sleep', 'on waking'];
/** [temporal-relationship-to-meal-1.2] */
const toMeal = [
  'fasting',
  'not fasting',
  'before meal',
  'after meal',
  'before breakfast',
  'after breakfast',
  'before lunch',
  'after lunch',
  'before dinner',
  'after dinner',
  '2 hours postprandial',
  'with meal',
  'with food',
];
/** [blood-specimen-type-1.0] */
const bloodSpecimenTypes = ['whole blood', 'plasma', 'serum'];
/** [specimen-source-1.0] */
const specimenSources1 = [
  'interstitial fluid',
  'capillary blood',
  'plasma',
  'serum',
  'tears',
  'whole blood',
];
/** [specimen-source-2.1] */
const specimenSources2 = [
  'breath',
  'capillary blood',
  'interstitial fluid',
  'saliva',
  'sweat',
  'tears',
  'urine',
];
/** [mass-unit-value-1.0] */
const massUnits = ['fg', 'pg', 'ng', 'ug', 'mg', 'g', 'kg', 'Metric Ton', 'gr', 'oz', 'lb', 'Ton'];

const omhTime = { kind: 'timeFrame', flavour: 'omh', intervalRequired: false } as const;
const ieeeTime = { kind: 'timeFrame', flavour: 'ieee', intervalRequired: false } as const;
const omhInterval = { kind: 'timeFrame', flavour: 'omh', intervalRequired: true } as const;
const text = { kind: 'string' } as const;
const oneOf = (values: readonly string[]): OmhFieldRule => ({ kind: 'enum', values });
const mmHg = { kind: 'unitValue', units: ['mmHg'] } as const;
const glucose = { kind: 'unitValue', units: ['mg/dL', 'mmol/L'] } as const;

const bp = ['systolic_blood_pressure', 'diastolic_blood_pressure'];
const bpTimed = [...bp, 'effective_time_frame'];

export const omhSchemaRules: readonly OmhSchemaRules[] = [
  {
    name: 'blood-pressure',
    version: '1.0',
    required: bp,
    fields: {
      systolic_blood_pressure: mmHg,
      diastolic_blood_pressure: mmHg,
      effective_time_frame: omhTime,
      position_during_measurement: oneOf(positions),
      descriptive_statistic: oneOf(omhStatistics),
      user_notes: text,
    },
  },
  {
    name: 'blood-pressure',
    version: '2.0',
    required: bp,
    fields: {
      systolic_blood_pressure: mmHg,
      diastolic_blood_pressure: mmHg,
      effective_time_frame: omhTime,
      body_posture: oneOf(postures),
      descriptive_statistic: oneOf(omhStatistics),
      user_notes: text,
    },
  },
  {
    name: 'blood-pressure',
    version: '3.0',
    required: bpTimed,
    fields: {
      systolic_blood_pressure: mmHg,
      diastolic_blood_pressure: mmHg,
      effective_time_frame: omhTime,
      body_posture: oneOf(postures),
      descriptive_statistic: oneOf(omhStatistics),
      measurement_location: oneOf(bodyLocations),
    },
  },
  {
    name: 'blood-pressure',
    version: '3.1',
    required: bpTimed,
    fields: {
      systolic_blood_pressure: mmHg,
      diastolic_blood_pressure: mmHg,
      effective_time_frame: omhTime,
      body_posture: oneOf(postures),
      descriptive_statistic: oneOf(omhStatistics),
      measurement_location: oneOf(bodyLocations),
      temporal_relationship_to_physical_activity: oneOf(toActivity),
    },
  },
  {
    name: 'blood-pressure',
    version: '4.0',
    required: bpTimed,
    fields: {
      systolic_blood_pressure: mmHg,
      diastolic_blood_pressure: mmHg,
      effective_time_frame: ieeeTime,
      body_posture: oneOf(postures),
      descriptive_statistic: oneOf(ieeeStatistics),
      measurement_location: oneOf(bodyLocations),
      temporal_relationship_to_physical_activity: oneOf(toActivity),
    },
  },
  {
    name: 'blood-glucose',
    version: '1.0',
    required: ['blood_glucose'],
    fields: {
      blood_glucose: glucose,
      blood_specimen_type: oneOf(bloodSpecimenTypes),
      effective_time_frame: omhTime,
      temporal_relationship_to_meal: oneOf(toMeal),
      temporal_relationship_to_sleep: oneOf(toSleep),
      descriptive_statistic: oneOf(omhStatistics),
      user_notes: text,
    },
  },
  {
    name: 'blood-glucose',
    version: '2.0',
    required: ['blood_glucose'],
    fields: {
      blood_glucose: glucose,
      specimen_source: oneOf(specimenSources1),
      effective_time_frame: omhTime,
      temporal_relationship_to_meal: oneOf(toMeal),
      temporal_relationship_to_sleep: oneOf(toSleep),
      descriptive_statistic: oneOf(omhStatistics),
      user_notes: text,
    },
  },
  {
    name: 'blood-glucose',
    version: '3.0',
    required: ['blood_glucose', 'effective_time_frame'],
    fields: {
      blood_glucose: glucose,
      specimen_source: oneOf(specimenSources2),
      effective_time_frame: omhTime,
      temporal_relationship_to_meal: oneOf(toMeal),
      temporal_relationship_to_sleep: oneOf(toSleep),
      descriptive_statistic: oneOf(omhStatistics),
    },
  },
  {
    name: 'blood-glucose',
    version: '4.0',
    required: ['blood_glucose', 'effective_time_frame'],
    fields: {
      blood_glucose: glucose,
      specimen_source: oneOf(specimenSources2),
      effective_time_frame: ieeeTime,
      temporal_relationship_to_meal: oneOf(toMeal),
      temporal_relationship_to_sleep: oneOf(toSleep),
      descriptive_statistic: oneOf(ieeeStatistics),
    },
  },
  {
    name: 'heart-rate',
    version: '1.0',
    required: ['heart_rate'],
    fields: {
      heart_rate: { kind: 'unitValue', units: ['beats/min'] },
      effective_time_frame: omhTime,
      descriptive_statistic: oneOf(omhStatistics),
      temporal_relationship_to_physical_activity: oneOf(toActivity),
      user_notes: text,
    },
  },
  {
    name: 'heart-rate',
    version: '1.1',
    required: ['heart_rate'],
    fields: {
      heart_rate: { kind: 'unitValue', units: ['beats/min'] },
      effective_time_frame: omhTime,
      descriptive_statistic: oneOf(omhStatistics),
      temporal_relationship_to_physical_activity: oneOf(toActivity),
      temporal_relationship_to_sleep: oneOf(toSleep),
      user_notes: text,
    },
  },
  {
    name: 'heart-rate',
    version: '2.0',
    required: ['heart_rate', 'effective_time_frame'],
    fields: {
      heart_rate: { kind: 'unitValue', units: ['beats/min'] },
      effective_time_frame: omhTime,
      descriptive_statistic: oneOf(omhStatistics),
      temporal_relationship_to_physical_activity: oneOf(toActivity),
      temporal_relationship_to_sleep: oneOf(toSleep),
    },
  },
  {
    name: 'step-count',
    version: '1.0',
    required: ['step_count'],
    fields: { step_count: { kind: 'number' }, effective_time_frame: omhTime },
  },
  {
    name: 'step-count',
    version: '2.0',
    required: ['step_count', 'effective_time_frame'],
    fields: {
      step_count: { kind: 'number' },
      effective_time_frame: omhInterval,
      descriptive_statistic: oneOf(omhStatistics),
      descriptive_statistic_denominator: text,
    },
  },
  {
    name: 'step-count',
    version: '3.0',
    required: ['step_count', 'effective_time_frame'],
    fields: {
      step_count: { kind: 'unitValue', units: ['steps'] },
      effective_time_frame: omhInterval,
      descriptive_statistic: oneOf(omhStatistics),
      descriptive_statistic_denominator: text,
    },
  },
  {
    name: 'body-weight',
    version: '1.0',
    required: ['body_weight'],
    fields: {
      body_weight: { kind: 'unitValue', units: massUnits },
      effective_time_frame: omhTime,
      descriptive_statistic: oneOf(omhStatistics),
    },
  },
  {
    name: 'body-weight',
    version: '2.0',
    required: ['body_weight', 'effective_time_frame'],
    fields: {
      body_weight: { kind: 'unitValue', units: massUnits },
      effective_time_frame: omhTime,
      descriptive_statistic: oneOf(omhStatistics),
    },
  },
  {
    name: 'body-weight',
    version: '3.0',
    required: ['body_weight', 'effective_time_frame'],
    fields: {
      body_weight: { kind: 'unitValue', units: massUnits },
      effective_time_frame: ieeeTime,
      descriptive_statistic: oneOf(ieeeStatistics),
    },
  },
  {
    name: 'sleep-duration',
    version: '1.0',
    required: ['sleep_duration'],
    fields: {
      // duration-unit-value narrowed to sec/min/h by the sleep-duration schema.
      sleep_duration: { kind: 'unitValue', units: ['sec', 'min', 'h'] },
      effective_time_frame: omhTime,
      user_notes: text,
    },
  },
  {
    name: 'sleep-duration',
    version: '2.0',
    required: ['sleep_duration', 'effective_time_frame'],
    fields: {
      sleep_duration: { kind: 'unitValue', units: ['sec', 'min', 'h'] },
      effective_time_frame: omhInterval,
      descriptive_statistic: oneOf(omhStatistics),
      descriptive_statistic_denominator: text,
    },
  },
];

export const supportedOmhSchemas: readonly OmhSchemaName[] = [
  'blood-pressure',
  'blood-glucose',
  'heart-rate',
  'step-count',
  'body-weight',
  'sleep-duration',
];

/**
 * The rules for a schema version: the exact version, else the highest minor of the same major
 * (`4.x`, `1.2` → 1.x's newest), else the newest version when none is given.
 */
export function omhRulesFor(name: string, version: string | undefined): OmhSchemaRules | undefined {
  const forName = omhSchemaRules.filter((r) => r.name === name);
  if (version === undefined) return forName[forName.length - 1];
  const exact = forName.find((r) => r.version === version);
  if (exact) return exact;
  const [major, minor] = version.split('.');
  const sameMajor = forName.filter((r) => r.version.split('.')[0] === major);
  const wanted = minor === 'x' || minor === undefined ? Infinity : Number(minor);
  return sameMajor.filter((r) => Number(r.version.split('.')[1]) <= wanted).pop();
}
