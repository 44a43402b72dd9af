// Care programs: the declarative language (YAML + programs/schema/program.schema.json), its loader
// with located errors, and the pure interpreter the server's runner drives.
export type {
  ProgramDefinition,
  ProgramCategory,
  TriggerDefinition,
  TriggerKind,
  StepDefinition,
  StepKind,
  EventKind,
  MessagePriorityClass,
  MessageChannel,
  ProgramMessagePurpose,
  CareTeamRole,
  PlaceKind,
  CalendarDate,
} from './programDefinition.ts';
export type {
  CareProgram,
  CompiledCondition,
  CompiledStep,
  CompiledTrigger,
  FactValue,
  FactValues,
} from './careProgram.ts';
export type {
  ConditionLanguage,
  ConditionCompileResult,
  ConditionIssue,
} from './conditionLanguage.ts';
export { conditionLanguageFor, defaultConditionLanguage } from './defaultConditionLanguage.ts';
export {
  parseProgram,
  formatProgramIssue,
  type ProgramIssue,
  type LoadResult,
  type ParseProgramOptions,
} from './parseProgram.ts';
export { programSchema, checkProgramSchema } from './programSchema.ts';
export { builtinPlaceholders } from './builtinPlaceholders.ts';
export type {
  ProgramMember,
  ProgramMedication,
  ProgramPackage,
  Place,
  ProgramContext,
  ProgramEvent,
  FlowVars,
  TriggerFiring,
  TriggerMemory,
  WaitingFlow,
  EnrollmentState,
  ProgramEffect,
  RunStart,
  RunResult,
} from './programRuntime.ts';
export {
  createEnrollment,
  isEligible,
  meetsExitCriteria,
  migrateEnrollment,
} from './enrollment.ts';
export { runSteps, enrollmentDay } from './runSteps.ts';
export { matchTriggers } from './matchTriggers.ts';
export { nextScheduledFirings, absenceDeadline } from './nextScheduledFirings.ts';
export { validateRrule, rruleOccurrences } from './recurrence.ts';
export { parseProgramDuration } from './programTime.ts';
export {
  previewProgram,
  seededPreviewRandom,
  type PreviewEntry,
  type PreviewFixture,
  type PreviewOptions,
  type PreviewResult,
} from './previewProgram.ts';
