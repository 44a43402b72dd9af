import type { Evidence, ProfileFact, ProfileMember } from '../model/types.ts';
import { citation, type Bilingual, type RuleRef } from '../clinical/guideline.ts';
import { indicatorById, indicatorForLoinc } from '../clinical/indicators.ts';
import type { ConditionSummary, ProfileState, Reading } from './state.ts';

/** Evidence lists stop here; the fact's label says how many items stood behind it. */
export const maxEvidence = 20;

export interface ProfileOptions {
  /** Accept clinician-recorded Conditions as evidence for tags (default true). */
  useConditions?: boolean;
  /** Let medications inform tags and stage (default true). */
  useMedications?: boolean;
}

export interface DeriveContext {
  state: ProfileState;
  member: ProfileMember;
  /** Local day number of `now`. */
  today: number;
  ageYears: number | null;
  options: Required<ProfileOptions>;
}

export function unitOfCode(code: string): string | undefined {
  return indicatorForLoinc(code)?.unit;
}

export function readingEvidence(r: Reading, unit?: string): Evidence {
  const e: Evidence = { observationId: r.id, code: r.code, value: r.v, effectiveAt: r.at };
  const u = unit ?? unitOfCode(r.code);
  if (u) e.unit = u;
  return e;
}

export function conditionEvidence(c: ConditionSummary): Evidence {
  return {
    conditionId: c.id,
    code: c.code,
    value: c.display ?? c.code,
    effectiveAt: c.onset ?? '',
  };
}

export function capEvidence(list: Evidence[]): Evidence[] {
  return list.length > maxEvidence ? list.slice(0, maxEvidence) : list;
}

export function ruleFact(
  key: string,
  kind: ProfileFact['kind'],
  value: ProfileFact['value'],
  rule: RuleRef,
  evidence: Evidence[],
  label: Bilingual,
  unit?: string | null,
): ProfileFact {
  const f: ProfileFact = {
    key,
    kind,
    value,
    ruleId: rule.id,
    citation: citation(rule),
    evidence: capEvidence(evidence),
    label,
  };
  if (unit !== undefined) f.unit = unit;
  return f;
}

export function indicatorUnit(id: string): string {
  return indicatorById(id)?.unit ?? '';
}

export function displayUnit(id: string): string {
  return indicatorById(id)?.displayUnit ?? '';
}

export function round(v: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
}

/** The member's conditions supporting a tag (when conditions are accepted as evidence). */
export function conditionsFor(
  ctx: DeriveContext,
  tag: ConditionSummary['tags'][number],
): ConditionSummary[] {
  if (!ctx.options.useConditions) return [];
  return Object.values(ctx.state.conditions)
    .filter((c) => c.tags.includes(tag))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

export const recordedByClinician = (what: Bilingual): Bilingual => ({
  'zh-CN': `医生记录的诊断：${what['zh-CN']}`,
  en: `Recorded by a clinician: ${what.en}`,
});

/** A tag that rests on conditions a clinician recorded, with those conditions as its evidence. */
export function clinicianTag(
  key: string,
  rule: RuleRef,
  conds: readonly ConditionSummary[],
  what: Bilingual,
): ProfileFact {
  return ruleFact(key, 'tag', true, rule, conds.map(conditionEvidence), recordedByClinician(what));
}
