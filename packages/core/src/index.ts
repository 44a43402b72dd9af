// The pure domain of CareLoop. Each area has its own barrel; this file only re-exports them.
export * from './model/types.ts';
export * from './model/result.ts';
export * from './clinical/index.ts';
