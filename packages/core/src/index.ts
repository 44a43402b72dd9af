// The pure domain of CareLoop. Each area has its own barrel; this file only re-exports them.
export * from './model/types.ts';
export * from './model/result.ts';
export { canonicalUtcMillis, parseIsoMillis } from './model/isoInstants.ts';
export * from './clinical/index.ts';
export * from './risk/index.ts';
export * from './profile/index.ts';
export * from './ingest/index.ts';
export * from './fhir/index.ts';
export * from './delivery/index.ts';
export * from './expr/index.ts';
export * from './programs/index.ts';
export * from './simulate/index.ts';
export * from './habit/index.ts';
