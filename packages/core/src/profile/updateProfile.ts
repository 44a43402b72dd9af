import type {
  Evidence,
  ProfileFact,
  ProfileMember,
  StoredCondition,
  StoredMedication,
  StoredObservation,
} from '../model/types.ts';
import { conditionTags } from '../clinical/conditionCodes.ts';
import { clinicalRulesVersion } from '../clinical/guideline.ts';
import { classifyGlycaemia } from '../clinical/glycaemia.ts';
import { indicatorById, indicatorForLoinc } from '../clinical/indicators.ts';
import { isActiveMedicationStatus, medicationClasses } from '../clinical/medicationClasses.ts';
import { isUricAcidAboveThreshold } from '../clinical/uricAcid.ts';
import { bpSettingOf, mergeBloodPressure, type BpHalf } from './bloodPressureState.ts';
import { derivations } from './derive/registry.ts';
import type { DeriveContext, ProfileOptions } from './facts.ts';
import { ageOnDay, localDayNumber, weekOfDay } from './localDay.ts';
import {
  emptyProfileState,
  profileStateVersion,
  type IndicatorSummary,
  type ProfileState,
  type Reading,
} from './state.ts';
import {
  addReading,
  allFresh,
  dayKey,
  freshFrom,
  type FreshFrom,
  mergeEvent,
  newSummary,
  pruneSummary,
  writableSummary,
} from './summaries.ts';
import { targetRanges, type TargetRange } from './targets.ts';
import { parseIsoMillis } from '../model/isoInstants.ts';
import { restoredFact, storedFact } from './ruleRegistry.ts';

export type { ProfileState } from './state.ts';
export type { ProfileOptions } from './facts.ts';

export interface ProfileUpdate {
  state: ProfileState;
  /** The full current set of facts. */
  facts: ProfileFact[];
  /** Keys whose fact is new or different. */
  changedKeys: string[];
  /** Keys that no longer have a fact. */
  removedKeys: string[];
}

export interface UpdateProfileArgs {
  state: ProfileState | null;
  member: ProfileMember;
  /** Only the items new since `state`. */
  observations: readonly StoredObservation[];
  conditions?: readonly StoredCondition[];
  medications?: readonly StoredMedication[];
  now: Date;
  options?: ProfileOptions;
}

export class ProfileStateVersionError extends Error {
  constructor(found: unknown) {
    super(
      `profile state version ${String(found)} is not ${profileStateVersion}: run \`careloop profile rebuild\``,
    );
    this.name = 'ProfileStateVersionError';
  }
}

/** True when a stored state was made by this engine's state format and rule set. */
export function profileStateIsCurrent(state: ProfileState | null): boolean {
  return (
    state !== null &&
    state.version === profileStateVersion &&
    state.rulesVersion === clinicalRulesVersion
  );
}

/** A summary this update writes to, and what its readings need, looked up once per indicator. */
interface Writable {
  s: IndicatorSummary;
  /** Bounds of the buckets this update created (and may change in place). */
  fresh: FreshFrom;
  target: TargetRange | undefined;
  /** `${id}@past` is in `touched` (a reading before this week). */
  past: boolean;
}

const diabetesEventKey = (r: Reading): string =>
  `${r.d}|${indicatorForLoinc(r.code)?.id ?? r.code}`;

function sameEvidence(a: Evidence, b: Evidence): boolean {
  return (
    a.observationId === b.observationId &&
    a.conditionId === b.conditionId &&
    a.code === b.code &&
    a.value === b.value &&
    a.unit === b.unit &&
    a.effectiveAt === b.effectiveAt
  );
}

/** Field-wise equality of two facts (JSON.stringify was the hot spot of an update). */
export function sameFact(a: ProfileFact, b: ProfileFact): boolean {
  if (
    a.key !== b.key ||
    a.kind !== b.kind ||
    a.value !== b.value ||
    // A missing unit or citation and a null one mean the same (a fact read back from the fact
    // table cannot tell them apart).
    (a.unit ?? null) !== (b.unit ?? null) ||
    a.ruleId !== b.ruleId ||
    (a.citation ?? null) !== (b.citation ?? null) ||
    a.label?.en !== b.label?.en ||
    a.label?.['zh-CN'] !== b.label?.['zh-CN'] ||
    a.evidence.length !== b.evidence.length
  ) {
    return false;
  }
  for (let i = 0; i < a.evidence.length; i++)
    if (!sameEvidence(a.evidence[i] as Evidence, b.evidence[i] as Evidence)) return false;
  return true;
}

/**
 * Incremental profile update: folds the new items into the bounded summaries and recomputes only
 * the derivations they touch (plus the windowed ones when the member's local date moved on).
 */
export function updateProfile(args: UpdateProfileArgs): ProfileUpdate {
  const { member, now } = args;
  const options: Required<ProfileOptions> = {
    useConditions: args.options?.useConditions ?? true,
    useMedications: args.options?.useMedications ?? true,
  };
  const tz = member.timeZone;
  const signature = `${member.gender}|${member.birthDate ?? ''}|${options.useConditions ? 'c' : ''}${options.useMedications ? 'm' : ''}`;
  const prev = args.state;
  if (prev && prev.version !== profileStateVersion)
    throw new ProfileStateVersionError(prev.version);
  const base = prev ?? emptyProfileState(tz, signature);
  const state: ProfileState = {
    ...base,
    indicators: { ...base.indicators },
    facts: { ...base.facts },
    owned: { ...base.owned },
  };
  const touched = new Set<string>();
  const today = localDayNumber(now.getTime(), tz);
  const thisWeek = weekOfDay(today);

  /** The summaries this update writes to, with the bounds of their fresh buckets. */
  const writable = new Map<string, Writable>();
  const halves: BpHalf[] = [];
  for (const o of args.observations) {
    const ind = o.indicator ? indicatorById(o.indicator) : undefined;
    if (!ind || !Number.isFinite(o.value)) continue;
    const t = parseIsoMillis(o.effectiveAt);
    if (!Number.isFinite(t)) continue;
    const d = localDayNumber(t, tz);
    const id = ind.id;
    // One literal per shape (the same fields in the same order as adding them one by one).
    let r: Reading;
    if (id === 'sbp' || id === 'dbp') {
      const s = bpSettingOf(o);
      r = o.panelKey
        ? { id: o.id, code: o.code, v: o.value, at: o.effectiveAt, t, d, s, p: o.panelKey }
        : { id: o.id, code: o.code, v: o.value, at: o.effectiveAt, t, d, s };
      halves.push({ r, which: id });
    } else if (id === 'urine_acr' && o.originalUnit !== o.unit) {
      r = {
        id: o.id,
        code: o.code,
        v: o.value,
        at: o.effectiveAt,
        t,
        d,
        ov: o.originalValue,
        ou: o.originalUnit,
      };
    } else r = { id: o.id, code: o.code, v: o.value, at: o.effectiveAt, t, d };
    let w = writable.get(id);
    if (w === undefined) {
      const stored = state.indicators[id];
      w = {
        s: stored
          ? writableSummary(stored)
          : newSummary(r, ind.category === 'lab' || ind.category === 'body'),
        fresh: stored ? freshFrom(stored) : allFresh,
        target: targetRanges[id],
        past: false,
      };
      state.indicators[id] = w.s;
      writable.set(id, w);
      touched.add(id);
    }
    const target = w.target;
    const inTarget =
      target !== undefined &&
      (target.low === undefined || r.v >= target.low) &&
      (target.high === undefined || r.v <= target.high);
    addReading(w.s, r, inTarget, w.fresh);
    if (!w.past && weekOfDay(r.d) < thisWeek) {
      w.past = true;
      touched.add(`${id}@past`);
    }
    if (
      (id === 'fpg' || id === 'ogtt_2h' || id === 'hba1c') &&
      classifyGlycaemia(id, r.v) === 'diabetes-range'
    ) {
      state.diabetesEvents = mergeEvent(state.diabetesEvents, r, diabetesEventKey);
    } else if (id === 'uric_acid' && isUricAcidAboveThreshold(r.v)) {
      state.uricAcidDays = mergeEvent(state.uricAcidDays, r, dayKey);
    }
  }
  for (const w of writable.values()) pruneSummary(w.s);
  if (halves.length > 0) {
    state.bp = mergeBloodPressure(
      state.bp,
      halves,
      state.indicators.sbp?.latest,
      state.indicators.dbp?.latest,
    );
  }

  if (args.conditions && args.conditions.length > 0) {
    state.conditions = { ...state.conditions };
    for (const c of args.conditions) {
      const tags = conditionTags(c);
      if (tags.length > 0) {
        state.conditions[c.id] = {
          id: c.id,
          tags,
          code: c.code,
          display: c.display,
          onset: c.onset,
        };
        touched.add('@conditions');
      } else if (state.conditions[c.id]) {
        delete state.conditions[c.id];
        touched.add('@conditions');
      }
    }
  }
  if (args.medications && args.medications.length > 0) {
    state.medications = { ...state.medications };
    for (const m of args.medications) {
      const classes = medicationClasses(m);
      if (classes.length > 0) {
        state.medications[m.id] = {
          id: m.id,
          classes,
          name: m.name,
          active: isActiveMedicationStatus(m.status),
          authoredOn: m.authoredOn,
        };
        touched.add('@medications');
      } else if (state.medications[m.id]) {
        delete state.medications[m.id];
        touched.add('@medications');
      }
    }
  }

  const everything =
    prev === null ||
    base.memberSignature !== signature ||
    base.timeZone !== tz ||
    base.rulesVersion !== clinicalRulesVersion;
  const dayChanged = base.asOfDay !== today;
  state.memberSignature = signature;
  state.timeZone = tz;
  state.rulesVersion = clinicalRulesVersion;
  state.asOfDay = today;

  const ctx: DeriveContext = {
    state,
    member,
    today,
    ageYears: ageOnDay(member.birthDate, today),
    options,
  };
  const changed = new Set<string>();
  const removed = new Set<string>();
  let factsChanged = false;
  for (const der of derivations) {
    const run =
      everything ||
      der.deps.some((d) =>
        d === '@day' ? dayChanged : d === '@facts' ? factsChanged : touched.has(d),
      );
    if (!run) continue;
    const produced = der.derive(ctx);
    const keys: string[] = [];
    for (const full of produced) {
      const f = storedFact(full);
      keys.push(f.key);
      const old = state.facts[f.key];
      if (!old || !sameFact(old, f)) {
        state.facts[f.key] = f;
        changed.add(f.key);
        removed.delete(f.key);
        factsChanged = true;
      }
    }
    for (const k of state.owned[der.id] ?? []) {
      if (!keys.includes(k)) {
        delete state.facts[k];
        removed.add(k);
        changed.delete(k);
        factsChanged = true;
      }
    }
    if (keys.length > 0) state.owned[der.id] = keys;
    else delete state.owned[der.id];
  }
  return {
    state,
    facts: Object.values(state.facts).map(restoredFact),
    changedKeys: [...changed],
    removedKeys: [...removed],
  };
}

export interface RebuildProfileArgs {
  member: ProfileMember;
  observations: readonly StoredObservation[];
  conditions?: readonly StoredCondition[];
  medications?: readonly StoredMedication[];
  now: Date;
  options?: ProfileOptions;
}

/** From scratch over everything (after a rule change, and the baseline the bench compares with). */
export function rebuildProfile(args: RebuildProfileArgs): ProfileUpdate {
  return updateProfile({ ...args, state: null });
}
