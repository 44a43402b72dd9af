export * from './checkupReport.ts';
export * from './checkupTable.ts';
export * from './fhirReport.ts';
export * from './interpretCheckupReport.ts';
