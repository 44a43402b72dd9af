// Deterministic demo population: the first-run seed, `careloop simulate` and the ingest benchmark.
export type { Rng } from './rng.ts';
export { seededRng } from './rng.ts';
export type { DemoMember, DemoPersona, DemoRedFlag, DemoPopulationOptions } from './demoMember.ts';
export { generateDemoPopulation, generateObservations } from './generateDemoPopulation.ts';
export { demoFhirBundle, DEMO_MEMBER_SYSTEM, DEMO_RECORD_SYSTEM } from './demoFhirBundle.ts';
export { demoUuid } from './demoUuid.ts';
export { POST_MEAL_GLUCOSE_LOINC } from './memberReadings.ts';
