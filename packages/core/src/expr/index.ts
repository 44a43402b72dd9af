// The condition language: CEL-syntax conditions over profile facts, type-checked and compiled once
// to JavaScript (decision 0003).
export type { FactType, FactSchema } from './factType.ts';
export { compileCondition, type CompileResult, type ExprIssue } from './compileCondition.ts';
export { factsToContext } from './factsToContext.ts';
export { profileFactSchema } from './profileFactSchema.ts';
export { parseDuration, parseTimestamp } from './timeLiterals.ts';
