import type {
  ConditionInput,
  MedicationInput,
  MemberInput,
  ObservationInput,
} from '../model/types.ts';

/** The kinds of member a chronic-disease programme sees; each drives its own readings. */
export type DemoPersona =
  | 'healthy'
  | 'hypertensive'
  | 'diabetic'
  | 'prediabetic'
  | 'hypertensive-diabetic'
  | 'dyslipidemic'
  | 'pregnant'
  | 'post-surgery'
  | 'inactive';

/** A scripted emergency so the demo shows alerts: when it happens and what it is. */
export interface DemoRedFlag {
  /** `bp-crisis`: a reading ≥ 180/110 mmHg; `hypoglycaemia`: a fasting glucose < 3.9 mmol/L. */
  kind: 'bp-crisis' | 'hypoglycaemia';
  /** Instant of the red-flag reading (ISO 8601). */
  at: string;
}

/** One synthetic member with everything the seed stores about them. */
export interface DemoMember {
  member: MemberInput & { timeZone: string; locale: 'zh-CN' | 'en' };
  /** Family and given name (FHIR HumanName); `member.name` is the display form. */
  nameParts: { family: string; given: string };
  persona: DemoPersona;
  conditions: ConditionInput[];
  medications: MedicationInput[];
  observations: ObservationInput[];
  /** Engagement for the demo's retention views. */
  engagement: {
    signupAt: string;
    /** Last reading the member took or entered themselves (passive wearable data excluded). */
    lastActiveAt: string;
    appOpensPerWeek: number;
    /** Local days with at least one reading the member took or entered themselves. */
    activeDays: number;
  };
  redFlag: DemoRedFlag | null;
}

/** Options shared by the generators: everything comes from the seed and the window. */
export interface DemoPopulationOptions {
  seed: number;
  members: number;
  /** Inclusive start of the readings window. */
  start: Date;
  /** Exclusive end of the readings window (e.g. "now" of the demo). */
  end: Date;
}
