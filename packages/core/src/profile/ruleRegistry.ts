import type { ProfileFact } from '../model/types.ts';
import * as clinical from '../clinical/index.ts';
import { citation, type RuleRef } from '../clinical/guideline.ts';
import { healthStageRule } from './derive/stage.ts';
import { segmentRules } from './derive/segments.ts';
import { targetRanges, trendRule, yearOverYearRule } from './targets.ts';

/**
 * Every rule a fact can name, by id. The stored state keeps facts without their citation text
 * (it is the bulk of a fact) and the citation is restored from here.
 */
const rules = new Map<string, RuleRef>();

function isRuleRef(x: unknown): x is RuleRef {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  return (
    typeof r.id === 'string' &&
    typeof r.guideline === 'string' &&
    typeof r.year === 'number' &&
    typeof r.section === 'string'
  );
}

function collect(x: unknown, depth: number): void {
  if (isRuleRef(x)) {
    rules.set(x.id, x);
    return;
  }
  if (depth > 3 || typeof x !== 'object' || x === null) return;
  for (const v of Object.values(x)) collect(v, depth + 1);
}

collect(clinical, 0);
collect(
  [healthStageRule, trendRule, yearOverYearRule, ...segmentRules, ...Object.values(targetRanges)],
  0,
);

export function registerRules(list: readonly RuleRef[]): void {
  for (const r of list) {
    rules.set(r.id, r);
    citations.delete(r.id);
  }
}

const citations = new Map<string, string>();

/** Citation text of a registered rule (memoised: it is restored on every fact of every update). */
export function citationOf(id: string): string | undefined {
  let c = citations.get(id);
  if (c === undefined) {
    const r = rules.get(id);
    if (!r) return undefined;
    c = citation(r);
    citations.set(id, c);
  }
  return c;
}

export function ruleById(id: string): RuleRef | undefined {
  return rules.get(id);
}

/** Builds a fact with its fields in one fixed order (one hidden class: copying stays fast). */
function withCitation(f: ProfileFact, c: string | null | undefined): ProfileFact {
  const out: ProfileFact = {
    key: f.key,
    kind: f.kind,
    value: f.value,
    ruleId: f.ruleId,
    evidence: f.evidence,
  };
  if (c !== undefined) out.citation = c;
  if (f.unit !== undefined) out.unit = f.unit;
  if (f.label !== undefined) out.label = f.label;
  return out;
}

/** The stored form of a fact: without the citation when the registry can restore it. */
export function storedFact(f: ProfileFact): ProfileFact {
  if (!f.ruleId || !f.citation || citationOf(f.ruleId) !== f.citation) return f;
  return withCitation(f, undefined);
}

export function restoredFact(f: ProfileFact): ProfileFact {
  if (f.citation !== undefined || !f.ruleId) return f;
  const c = citationOf(f.ruleId);
  return c === undefined ? f : withCitation(f, c);
}
