import { describe, expect, it } from 'vitest';
import {
  celJsEvaluators,
  closureEvaluators,
  compiledEvaluators,
  decideRules,
  generateProfiles,
  jreDecide,
  jreEngine,
} from './decide.ts';

// Correctness, not time: the four engines of bench/decide must agree on every profile, or the
// throughput figures compare different work.
describe('bench/decide engines agree', () => {
  const { contexts, flat } = generateProfiles(1500, 7);
  const compiled = compiledEvaluators();
  const closures = closureEvaluators();
  const celJs = celJsEvaluators();

  it('has rules that both hold and fail on the sample (the comparison is not vacuous)', () => {
    for (const [r, rule] of decideRules.entries()) {
      const holds = contexts.filter((c) => compiled[r]?.(c)).length;
      expect([rule.id, holds > 0 && holds < contexts.length]).toEqual([rule.id, true]);
    }
  });

  it('compiled CEL, closures, cel-js and json-rules-engine (flat and JSONPath) give the same answers', async () => {
    const flatEngine = jreEngine('flat');
    const nestedEngine = jreEngine('nested');
    const disagreements: string[] = [];
    for (const [i, ctx] of contexts.entries()) {
      const byFlat = await jreDecide(flatEngine, flat[i] ?? {});
      const byNested = await jreDecide(nestedEngine, ctx);
      for (const [r, rule] of decideRules.entries()) {
        const answers = [
          compiled[r]?.(ctx),
          closures[r]?.(ctx),
          celJs[r]?.(ctx),
          byFlat.has(rule.id),
          byNested.has(rule.id),
        ];
        if (new Set(answers).size !== 1) {
          disagreements.push(`profile ${i} ${rule.id}: ${answers.join(' ')}`);
        }
      }
    }
    expect(disagreements).toEqual([]);
  });
});

describe('bench/decide measures the shipped programs', () => {
  it('takes every condition verbatim from a program file', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('../programs/', import.meta.url);
    const text = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => readFileSync(new URL(f, dir), 'utf8'))
      .join('\n');
    for (const rule of decideRules)
      expect([rule.id, text.includes(rule.cel)]).toEqual([rule.id, true]);
  });
});
