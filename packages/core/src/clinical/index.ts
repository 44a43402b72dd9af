export * from './guideline.ts';
export * from './indicators.ts';
export * from './bloodPressureClass.ts';
export * from './bmiCategory.ts';
