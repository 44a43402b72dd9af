import type { DurationLikeObject } from 'luxon';
import type {
  CareTeamTaskStepDefinition,
  ContentItem,
  ExitStepDefinition,
  GoalStepDefinition,
  LocalizedText,
  MemberTaskStepDefinition,
  MessageStepDefinition,
  ProgramCategory,
  ProgramDefinition,
  TriggerDefinition,
} from './programDefinition.ts';

/** Profile facts by key (`tag.hypertension`, `latest.sbp`, …) as programs read them. */
export type FactValue = string | number | boolean | null;
export type FactValues = Readonly<Record<string, FactValue>>;

/** A condition compiled once at load. */
export interface CompiledCondition {
  /** The expression as written. */
  source: string;
  evaluate(context: unknown): boolean;
}

/** A trigger with its guard compiled and its durations parsed. */
export interface CompiledTrigger {
  def: TriggerDefinition;
  id: string;
  /** First step of the sequence the trigger starts. */
  startStepId: string;
  when: CompiledCondition | null;
  cooldown: DurationLikeObject | null;
  /** relative: delay; absence: silence before the first firing. */
  delay: DurationLikeObject | null;
  /** absence: further gaps after the first firing. */
  backoff: DurationLikeObject[];
}

interface StepBase {
  id: string;
  /** The step that runs after this one, statically known; null = the flow ends. */
  next: string | null;
  /** The sequence the step is written in. */
  sequence: string;
}

export type CompiledStep =
  | (StepBase & {
      kind: 'message';
      def: MessageStepDefinition;
      expiresAfter: DurationLikeObject | null;
    })
  | (StepBase & {
      kind: 'member-task';
      def: MemberTaskStepDefinition;
      within: DurationLikeObject | null;
    })
  | (StepBase & { kind: 'care-team-task'; def: CareTeamTaskStepDefinition })
  | (StepBase & { kind: 'wait'; duration: DurationLikeObject | null; until: string | null })
  | (StepBase & {
      kind: 'branch';
      cases: { when: CompiledCondition; target: string }[];
      elseTarget: string | null;
    })
  | (StepBase & { kind: 'split'; arms: { name: string; weight: number; target: string }[] })
  | (StepBase & { kind: 'goto'; target: string })
  | (StepBase & { kind: 'goal'; def: GoalStepDefinition })
  | (StepBase & { kind: 'cancel'; sequences: ReadonlySet<string> })
  | (StepBase & { kind: 'exit'; def: ExitStepDefinition });

/** The enrollment's own facts conditions may read as `enrollment.*`. */
export interface EnrollmentScope {
  /** Day of the enrollment, 1 on the day of enrolling (member's calendar). */
  day: number;
  week: number;
  /** Goals reached: name → epoch milliseconds. */
  goals: Record<string, number>;
}

/** A validated program, conditions compiled, ready for the interpreter. */
export interface CareProgram {
  id: string;
  /** Normalised to a string; enrollments pin it. */
  version: string;
  /** `id@version`. */
  key: string;
  category: ProgramCategory;
  title: LocalizedText;
  description: LocalizedText;
  /** Where it was loaded from (for messages). */
  file: string;
  definition: ProgramDefinition;
  entry: CompiledCondition;
  exit: CompiledCondition | null;
  triggers: readonly CompiledTrigger[];
  steps: ReadonlyMap<string, CompiledStep>;
  /** Sequence name → its first step id. */
  sequences: ReadonlyMap<string, string>;
  templates: Readonly<Record<string, LocalizedText>>;
  content: Readonly<Record<string, readonly ContentItem[]>>;
  /** Turns facts into what compiled conditions evaluate against. */
  toConditionContext(facts: FactValues, now: Date, enrollment?: EnrollmentScope): unknown;
  /** Type name of a fact key ('double', 'timestamp', …), or null when unknown. */
  factType(key: string): string | null;
}
