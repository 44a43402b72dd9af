/**
 * The shape of a program file after YAML parsing and JSON Schema validation
 * (programs/schema/program.schema.json is the one published schema; these types mirror it).
 */

export type Locale = 'zh-CN' | 'en';
export const locales: readonly Locale[] = ['zh-CN', 'en'];

/** Text in both product locales. */
export interface LocalizedText {
  'zh-CN': string;
  en: string;
}

export type ProgramCategory = 'clinical' | 'care' | 'engagement' | 'marketing';

export type EventKind =
  | 'observation'
  | 'red-flag'
  | 'report'
  | 'task-done'
  | 'app-open'
  | 'consultation-finished'
  | 'medication-taken'
  | 'message-opened';

export const eventKinds: readonly EventKind[] = [
  'observation',
  'red-flag',
  'report',
  'task-done',
  'app-open',
  'consultation-finished',
  'medication-taken',
  'message-opened',
];

/** Which events a trigger listens to; the filters apply to their own event kind only. */
export interface EventFilter {
  on: EventKind;
  indicator?: string;
  flag?: string;
  task?: string;
}

interface TriggerBase {
  id: string;
  /** The sequence the trigger starts. */
  start: string;
  when?: string;
  cooldown?: string;
  /** Local calendar months (1–12) in which the trigger may fire. */
  months?: number[];
  note?: string;
}

export interface EventTriggerDefinition extends TriggerBase, EventFilter {
  kind: 'event';
}

export interface ScheduleTriggerDefinition extends TriggerBase {
  kind: 'schedule';
  rrule?: string;
  medications?: true;
}

export interface RelativeTriggerDefinition extends TriggerBase {
  kind: 'relative';
  after: EventFilter & { between?: [string, string] };
  delay: string;
}

export interface AbsenceTriggerDefinition extends TriggerBase {
  kind: 'absence';
  of: { indicator: string } | { activity: 'health' | 'any' };
  for: string;
  backoff?: string[];
}

export interface ThresholdTriggerDefinition extends TriggerBase {
  kind: 'threshold';
  indicator?: string;
  fact?: string;
  above?: number;
  below?: number;
  reset: number;
}

export type PlaceKind = 'partner-clinic' | 'partner-hospital' | 'checkup-centre' | 'pharmacy';

export interface LocationTriggerDefinition extends TriggerBase {
  kind: 'location';
  near: PlaceKind;
  withinKm: number;
}

export type CalendarDate = 'birthday' | 'enrollment-anniversary' | 'package-expiry';

export interface DateTriggerDefinition extends TriggerBase {
  kind: 'date';
  date: CalendarDate;
  offsetDays?: number;
  at: string;
}

export type TriggerDefinition =
  | EventTriggerDefinition
  | ScheduleTriggerDefinition
  | RelativeTriggerDefinition
  | AbsenceTriggerDefinition
  | ThresholdTriggerDefinition
  | LocationTriggerDefinition
  | DateTriggerDefinition;

export type TriggerKind = TriggerDefinition['kind'];

export type MessagePriorityClass = 'red-flag' | 'clinical' | 'care' | 'engagement' | 'marketing';

export type MessageChannel = 'in-app' | 'web-push' | 'email' | 'sms' | 'wechat' | 'webhook';

export type ProgramMessagePurpose =
  | 'alert'
  | 'reminder'
  | 'reinforcement'
  | 'education'
  | 'summary'
  | 'greeting'
  | 'invitation'
  | 'promotion';

/** Where a step's text comes from: inline, a template key, or the current item of a content series. */
export interface TextSource {
  text?: LocalizedText;
  template?: string;
  content?: { series: string; part: string };
}

/** Steps to run inline (then continue after the step), or the name of a sequence to go to. */
export type StepTarget = StepDefinition[] | string;

export interface MessageStepDefinition extends TextSource {
  id: string;
  kind: 'message';
  priority: MessagePriorityClass;
  purpose: ProgramMessagePurpose;
  channels: MessageChannel[];
  /** Duplicates for the contact policy: the step on the same local day (default), or only the same firing. */
  dedupe?: 'daily' | 'per-firing';
  /** After this long the message is pointless and is dropped rather than delivered late. */
  expiresAfter?: string;
}

export interface MemberTaskStepDefinition {
  id: string;
  kind: 'member-task';
  title?: LocalizedText;
  template?: string;
  due: { within: string } | { by: string };
  points: number;
  completedBy?: 'manual' | { indicator: string };
}

export type CareTeamRole = 'manager' | 'doctor' | 'dietitian' | 'rehab';

export interface CareTeamTaskStepDefinition {
  id: string;
  kind: 'care-team-task';
  role: CareTeamRole;
  slaMinutes: number;
  priority: 'urgent' | 'high' | 'normal';
  title?: LocalizedText;
  template?: string;
}

export interface WaitStepDefinition {
  id: string;
  kind: 'wait';
  for?: string;
  until?: string;
}

export interface BranchStepDefinition {
  id: string;
  kind: 'branch';
  cases: { when: string; then: StepTarget }[];
  else?: StepTarget;
}

export interface SplitStepDefinition {
  id: string;
  kind: 'split';
  arms: { name: string; weight: number; then: StepTarget }[];
}

export interface GotoStepDefinition {
  id: string;
  kind: 'goto';
  goto: string;
}

export interface GoalStepDefinition {
  id: string;
  kind: 'goal';
  goal: string;
  exit?: boolean;
}

export interface ExitStepDefinition {
  id: string;
  kind: 'exit';
  reason: string;
}

export interface CancelStepDefinition {
  id: string;
  kind: 'cancel';
  sequences: string[];
}

export type StepDefinition =
  | MessageStepDefinition
  | MemberTaskStepDefinition
  | CareTeamTaskStepDefinition
  | WaitStepDefinition
  | BranchStepDefinition
  | SplitStepDefinition
  | GotoStepDefinition
  | GoalStepDefinition
  | ExitStepDefinition
  | CancelStepDefinition;

export type StepKind = StepDefinition['kind'];

/** A content series item: named parts (e.g. knowledge, diet, medication, exercise). */
export type ContentItem = Record<string, LocalizedText>;

export interface ProgramDefinition {
  id: string;
  version: number | string;
  category: ProgramCategory;
  title: LocalizedText;
  description: LocalizedText;
  entry: string;
  exit?: string;
  templates?: Record<string, LocalizedText>;
  content?: Record<string, ContentItem[]>;
  triggers: TriggerDefinition[];
  sequences: Record<string, StepDefinition[]>;
}
