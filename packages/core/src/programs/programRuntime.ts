/**
 * What the interpreter works with: the member, the events that reach a program, the enrollment's
 * durable state and the effects a run asks the runner to carry out. All plain data, JSON-safe.
 */
import type { FactValues } from './careProgram.ts';
import type {
  CareTeamRole,
  LocalizedText,
  Locale,
  MessageChannel,
  MessagePriorityClass,
  PlaceKind,
  ProgramMessagePurpose,
} from './programDefinition.ts';

export interface ProgramMedication {
  id: string;
  name: string;
  /** RFC 5545 RRULE of the dose times, in the member's local wall-clock time. */
  rrule: string | null;
  dosageText?: string | null;
  /** Only active orders produce reminders; absent = active. */
  status?: string | null;
}

export interface ProgramPackage {
  id: string;
  name: LocalizedText;
  /** Last day of the package, yyyy-MM-dd in the member's zone. */
  expiresOn: string;
}

export interface Place {
  kind: PlaceKind;
  name: string;
  lat: number;
  lon: number;
}

export interface ProgramMember {
  name?: string | null;
  locale: Locale;
  /** IANA zone: schedules, local times of day and calendar days are the member's. */
  timeZone: string;
  /** yyyy-MM-dd. */
  birthDate?: string | null;
  medications?: readonly ProgramMedication[];
  packages?: readonly ProgramPackage[];
}

/** Everything a run may read. The clock and randomness come in here; nothing else is consulted. */
export interface ProgramContext {
  now: Date;
  member: ProgramMember;
  /** The member's profile facts by key, as of `now`. */
  facts: FactValues;
  /** Uniform in [0, 1): used by random splits only. */
  random: () => number;
  /** Places location triggers look for (partner clinics, …). */
  places?: readonly Place[];
}

/** Something that happened to the member, as the runner hands it to programs. */
export type ProgramEvent =
  | { kind: 'observation'; at: string; indicator: string; value: number }
  | { kind: 'red-flag'; at: string; flag: string }
  | { kind: 'report'; at: string; reportId?: string }
  | { kind: 'task-done'; at: string; programId?: string; stepId?: string }
  | { kind: 'app-open'; at: string }
  | { kind: 'consultation-finished'; at: string }
  | { kind: 'medication-taken'; at: string; medicationId?: string; medication?: string }
  | { kind: 'message-opened'; at: string }
  | { kind: 'location'; at: string; lat: number; lon: number };

/** Values for placeholders scoped to one firing; text values may come in both locales. */
export type FlowVars = Readonly<Record<string, string | number | LocalizedText>>;

/** A trigger firing: now (an event), later (a relative delay) or on a schedule. */
export interface TriggerFiring {
  triggerId: string;
  /** ISO instant the flow should start. */
  at: string;
  /** Identifies this firing's flow; also the idempotency root of its effects. */
  flowId: string;
  /** Values for placeholders scoped to the firing (medication.name, reading.value, …). */
  vars: FlowVars;
}

/** Per-trigger memory kept in the enrollment. */
export interface TriggerMemory {
  lastFiredAt?: string;
  /** absence: the last matching activity. */
  lastSeenAt?: string;
  /** absence: firings since that activity. */
  absenceFirings?: number;
  /** threshold: false after a crossing until the value comes back past the reset value. */
  armed?: boolean;
  /** location: whether the member is within the radius. */
  inside?: boolean;
}

/** A flow paused at a wait: resume it with `{ resume: flowId }` once `until` has come. */
export interface WaitingFlow {
  flowId: string;
  /** The step the flow continues at. */
  stepId: string;
  until: string;
  vars: FlowVars;
}

/** An enrollment's durable state; the runner stores it and hands it back. */
export interface EnrollmentState {
  programId: string;
  /** The version the enrollment started on; it stays on it unless migrated. */
  version: string;
  enrolledAt: string;
  status: 'active' | 'exited';
  exitReason: string | null;
  waiting: WaitingFlow[];
  /** Sticky split arms (`split.<stepId>`), goals reached (`goal.<name>`). */
  variables: Record<string, string | number | boolean>;
  triggers: Record<string, TriggerMemory>;
}

interface EffectBase {
  /** Idempotency key: the same key twice is the same effect. */
  key: string;
  stepId: string;
  flowId: string;
}

export type ProgramEffect =
  | (EffectBase & {
      kind: 'message';
      priority: MessagePriorityClass;
      purpose: ProgramMessagePurpose;
      /** Preference order. */
      channels: MessageChannel[];
      text: LocalizedText;
      /** Equivalent messages (same step, same local day) share it, for the contact policy. */
      dedupeKey: string;
      /** Drop instead of delivering after this instant (a deferred dose reminder); null = never. */
      expiresAt: string | null;
    })
  | (EffectBase & {
      kind: 'member-task';
      title: LocalizedText;
      dueAt: string;
      points: number;
      completedBy: { indicator: string } | null;
    })
  | (EffectBase & {
      kind: 'care-team-task';
      role: CareTeamRole;
      slaMinutes: number;
      priority: 'urgent' | 'high' | 'normal';
      title: LocalizedText;
      /** now + SLA. */
      dueAt: string;
    })
  | (EffectBase & { kind: 'wait'; until: string })
  | (EffectBase & { kind: 'goal'; goal: string })
  /** Paused flows the runner must drop (their timers will find nothing to resume). */
  | (EffectBase & { kind: 'cancel'; cancelled: string[] })
  | { kind: 'exit'; key: string; stepId: string | null; flowId: string | null; reason: string };

export type RunStart =
  /** A trigger fired (from matchTriggers or nextScheduledFirings). */
  | { firing: TriggerFiring }
  /** A wait ended. */
  | { resume: string }
  /** Start a flow at any step (operators, previews). */
  | { stepId: string; flowId: string; vars?: FlowVars };

export interface RunResult {
  effects: ProgramEffect[];
  state: EnrollmentState;
  /** Why nothing ran, when nothing did (cooldown, guard, stale absence timer, exited…). */
  skipped: string | null;
}
