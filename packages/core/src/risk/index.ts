// Risk scores: pure, validated, explainable. Each model also sits in the `riskModels` registry.
export * from './riskResult.ts';
export * from './riskInputs.ts';
export * from './riskBands.ts';
export * from './chinaParCoefficients.ts';
export * from './chinaPar.ts';
export * from './framingham2008.ts';
export * from './findrisc.ts';
export * from './cdrs.ts';
export * from './ckdEpi2021.ts';
export * from './riskModels.ts';
