/**
 * Apple HealthKit record types CareLoop reads from export.xml, and the catalogue indicator each
 * becomes. Units are HealthKit's own spellings; where HealthKit's meaning differs from the
 * catalogue's, `units` rewrites value and unit first.
 */
export interface AppleQuantityType {
  indicator: string;
  /** HealthKit unit → catalogue unit and the factor the value is multiplied by. */
  units?: Readonly<Record<string, { unit: string; factor: number }>>;
}

export const SLEEP_ANALYSIS = 'HKCategoryTypeIdentifierSleepAnalysis';

export const appleQuantityTypes: Readonly<Record<string, AppleQuantityType>> = {
  HKQuantityTypeIdentifierStepCount: { indicator: 'steps' },
  HKQuantityTypeIdentifierHeartRate: { indicator: 'heart_rate' },
  HKQuantityTypeIdentifierBloodGlucose: { indicator: 'glucose' },
  HKQuantityTypeIdentifierBodyMass: { indicator: 'weight' },
  HKQuantityTypeIdentifierHeight: { indicator: 'height' },
  HKQuantityTypeIdentifierBloodPressureSystolic: { indicator: 'sbp' },
  HKQuantityTypeIdentifierBloodPressureDiastolic: { indicator: 'dbp' },
  // HealthKit counts BMI as a dimensionless `count`; it is kg/m² by definition.
  HKQuantityTypeIdentifierBodyMassIndex: {
    indicator: 'bmi',
    units: { count: { unit: 'kg/m2', factor: 1 } },
  },
  // HKUnit.percent() stores fractions: 0.97 means 97 % (HealthKit HKUnit documentation).
  HKQuantityTypeIdentifierOxygenSaturation: {
    indicator: 'spo2',
    units: { '%': { unit: '%', factor: 100 } },
  },
  HKQuantityTypeIdentifierBodyTemperature: { indicator: 'body_temperature' },
};

/** HKCategoryValueSleepAnalysis values that are sleep (iOS 16 splits Asleep into stages). */
export const asleepValues: readonly string[] = [
  'HKCategoryValueSleepAnalysisAsleep',
  'HKCategoryValueSleepAnalysisAsleepUnspecified',
  'HKCategoryValueSleepAnalysisAsleepCore',
  'HKCategoryValueSleepAnalysisAsleepDeep',
  'HKCategoryValueSleepAnalysisAsleepREM',
  // Older exports write the enum's raw value: 1 = asleep (0 = in bed, 2 = awake).
  '1',
];
