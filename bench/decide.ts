/**
 * bench/decide — condition evaluations per second for the care programs' entry/trigger conditions.
 *
 * Four engines evaluate the same ten rules over the same generated profiles, in one run:
 *   compiled   our CEL compiler (packages/core/src/expr): parsed and type-checked once, JS via new Function
 *   closures   hand-written JS closures of the same rules (the ceiling)
 *   cel-js     @marcbachmann/cel-js, a tree-walking CEL interpreter (reference)
 *   jre        json-rules-engine running the same rules (the obvious alternative), over flattened
 *              facts (its fastest set-up) and over the nested profile with JSONPath
 * Targets (issue 4): compiled ≥ 500× json-rules-engine and ≥ 0.9× closures.
 *
 *   npx tsx bench/decide.ts            (1M profiles; BENCH_PROFILES=200000 for a quick run)
 */
import { parse as celParse } from '@marcbachmann/cel-js';
import { Engine, type NestedCondition, type TopLevelCondition } from 'json-rules-engine';
import { classifyBloodPressure } from '../packages/core/src/clinical/bloodPressureClass.ts';
import {
  compileCondition,
  factsToContext,
  profileFactSchema,
} from '../packages/core/src/expr/index.ts';

type Ctx = Record<string, unknown>;
/** The nested profile shape the closures read (every group present, facts inside optional). */
interface Profile {
  tag: Partial<Record<string, boolean>>;
  latest: Partial<Record<string, number>>;
  avg7: Partial<Record<string, number>>;
  bp: { class?: string };
  member: { age?: number; gender?: string };
  engagement: { daysSinceLastInteraction?: number };
  pregnancy: { week?: number };
  chemo: { cycle?: number };
  surgery: { type?: string };
}

export interface DecideRule {
  id: string;
  /** The condition as a program file states it (CEL syntax). */
  cel: string;
  /** The same rule written by hand, with the same absent-fact semantics. */
  closure: (p: Profile) => boolean;
  /** The same rule for json-rules-engine (facts are the flat dotted keys). */
  jre: TopLevelCondition;
}

const fact = (name: string, operator: string, value: unknown) => ({ fact: name, operator, value });

/**
 * The shipped programs' conditions, verbatim from programs/*.yaml (entry criteria, trigger guards
 * and branch cases; bench/decide.test.ts checks each string is in a program file).
 */
export const decideRules: readonly DecideRule[] = [
  {
    id: 'hypertension-entry',
    cel: 'tag.hypertension',
    closure: (p) => p.tag.hypertension === true,
    jre: { all: [fact('tag.hypertension', 'equal', true)] },
  },
  {
    id: 'diabetes-entry',
    cel: 'tag.diabetes',
    closure: (p) => p.tag.diabetes === true,
    jre: { all: [fact('tag.diabetes', 'equal', true)] },
  },
  {
    id: 'flu-vaccination-entry',
    cel: 'tag.immunocompromised',
    closure: (p) => p.tag.immunocompromised === true,
    jre: { all: [fact('tag.immunocompromised', 'equal', true)] },
  },
  {
    id: 'chemotherapy-entry',
    cel: 'tag.chemotherapy',
    closure: (p) => p.tag.chemotherapy === true,
    jre: { all: [fact('tag.chemotherapy', 'equal', true)] },
  },
  {
    id: 'reading-in-hypertension-range',
    cel: 'latest.sbp >= 140.0 || latest.dbp >= 90.0',
    closure: (p) => (p.latest.sbp ?? NaN) >= 140 || (p.latest.dbp ?? NaN) >= 90,
    jre: {
      any: [
        fact('latest.sbp', 'greaterThanInclusive', 140),
        fact('latest.dbp', 'greaterThanInclusive', 90),
      ],
    },
  },
  {
    id: 'weekly-average-grade-2',
    cel: 'avg7.sbp >= 160.0 || avg7.dbp >= 100.0',
    closure: (p) => (p.avg7.sbp ?? NaN) >= 160 || (p.avg7.dbp ?? NaN) >= 100,
    jre: {
      any: [
        fact('avg7.sbp', 'greaterThanInclusive', 160),
        fact('avg7.dbp', 'greaterThanInclusive', 100),
      ],
    },
  },
  {
    id: 'weekly-summary-no-readings',
    cel: '!has(avg7.sbp) || !has(avg7.dbp)',
    closure: (p) => p.avg7.sbp === undefined || p.avg7.dbp === undefined,
    jre: { any: [fact('avg7.sbp', 'absent', null), fact('avg7.dbp', 'absent', null)] },
  },
  {
    id: 'post-surgery-low-activity',
    cel: 'has(avg7.steps) && avg7.steps < 1000.0',
    closure: (p) => p.avg7.steps !== undefined && p.avg7.steps < 1000,
    jre: { all: [fact('avg7.steps', 'lessThan', 1000)] },
  },
  {
    id: 'post-surgery-cardiac',
    cel: "surgery.type in ['pci', 'cabg']",
    closure: (p) => p.surgery.type === 'pci' || p.surgery.type === 'cabg',
    jre: { all: [fact('surgery.type', 'in', ['pci', 'cabg'])] },
  },
  {
    id: 'pregnancy-week-20-checkup',
    cel: 'pregnancy.week == 20',
    closure: (p) => p.pregnancy.week === 20,
    jre: { all: [fact('pregnancy.week', 'equal', 20)] },
  },
];

/** mulberry32: small, fast, seeded. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Profile facts of one synthetic member, as the profile module emits them (absent = not emitted). */
export function generateFacts(random: () => number): { key: string; value: unknown }[] {
  const normal = (mean: number, sd: number) =>
    mean + sd * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const facts: { key: string; value: unknown }[] = [];
  const push = (key: string, value: unknown) => facts.push({ key, value });
  const age = 18 + Math.floor(random() * 72);
  const gender = random() < 0.5 ? 'male' : 'female';
  push('member.age', age);
  push('member.gender', gender);
  const r = random();
  if (r < 0.35) push('tag.hypertension', true);
  else if (r < 0.4) push('tag.hypertension', false);
  if (random() < 0.12) push('tag.diabetes', true);
  if (random() < 0.15) push('tag.prediabetes', true);
  if (random() < 0.03) push('tag.immunocompromised', true);
  if (random() < 0.02) {
    push('tag.chemotherapy', true);
    push('chemo.cycle', 1 + Math.floor(random() * 6));
  }
  if (gender === 'female' && age < 45 && random() < 0.3) {
    push('tag.pregnancy', true);
    push('pregnancy.week', 4 + Math.floor(random() * 37));
  }
  if (random() < 0.85) {
    const sbp = Math.round(normal(136, 20));
    const dbp = Math.round(normal(84, 12));
    push('latest.sbp', sbp);
    push('latest.dbp', dbp);
    push('bp.class', classifyBloodPressure(sbp, dbp).cls);
  }
  if (random() < 0.6) {
    push('avg7.sbp', Math.round(normal(134, 16) * 10) / 10);
    push('avg7.dbp', Math.round(normal(83, 10) * 10) / 10);
  }
  if (random() < 0.5) push('avg7.steps', Math.round(Math.exp(normal(8.3, 0.9))));
  if (random() < 0.04)
    push(
      'surgery.type',
      ['pci', 'cabg', 'joint-replacement', 'cholecystectomy'][Math.floor(random() * 4)],
    );
  if (random() < 0.5) push('latest.glucose', Math.round(Math.exp(normal(1.8, 0.35)) * 10) / 10);
  if (random() < 0.4) push('avg7.glucose', Math.round(Math.exp(normal(1.8, 0.3)) * 10) / 10);
  if (random() < 0.95)
    push('engagement.daysSinceLastInteraction', Math.floor(-Math.log(1 - random()) * 4));
  return facts;
}

export function generateProfiles(count: number, seed: number): { contexts: Ctx[]; flat: Ctx[] } {
  const random = seededRandom(seed);
  const contexts: Ctx[] = [];
  const flat: Ctx[] = [];
  for (let i = 0; i < count; i++) {
    const facts = generateFacts(random);
    contexts.push(factsToContext(facts));
    flat.push(Object.fromEntries(facts.map((f) => [f.key, f.value])));
  }
  return { contexts, flat };
}

export type Evaluator = (ctx: Ctx) => boolean;

export function compiledEvaluators(): Evaluator[] {
  return decideRules.map((r) => {
    const c = compileCondition(r.cel, profileFactSchema, { expect: 'bool' });
    if (!c.ok) throw new Error(`${r.id}: ${c.issues.map((i) => i.message).join('; ')}`);
    return c.evaluate as Evaluator;
  });
}

export function closureEvaluators(): Evaluator[] {
  return decideRules.map((r) => r.closure as unknown as Evaluator);
}

/** cel-js raises on a missing key where CEL has an error value; an erroring condition does not hold. */
export function celJsEvaluators(): Evaluator[] {
  return decideRules.map((r) => {
    const fn = celParse(r.cel);
    return (ctx: Ctx) => {
      try {
        return fn(ctx) === true;
      } catch {
        return false;
      }
    };
  });
}

/** `{ fact: 'latest.sbp' }` → `{ fact: 'latest', path: '$.sbp' }`: the same rule over nested profiles. */
function nestedCondition(
  c: TopLevelCondition | NestedCondition,
): TopLevelCondition | NestedCondition {
  if ('all' in c) return { all: c.all.map(nestedCondition) };
  if ('any' in c) return { any: c.any.map(nestedCondition) };
  if ('fact' in c) {
    const [group, field] = c.fact.split('.');
    return { ...c, fact: group as string, path: `$.${field}` };
  }
  return c;
}

/**
 * json-rules-engine with all ten rules. `flat`: facts are the dotted keys of a flattened profile
 * (its fastest set-up); `nested`: facts are the profile's groups, read with JSONPath (no flattening).
 */
export function jreEngine(facts: 'flat' | 'nested' = 'flat'): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true });
  engine.addOperator('absent', (factValue: unknown) => factValue === undefined);
  for (const r of decideRules) {
    const conditions = facts === 'flat' ? r.jre : (nestedCondition(r.jre) as TopLevelCondition);
    engine.addRule({ name: r.id, conditions, event: { type: r.id } });
  }
  return engine;
}

/** Which rules hold for one member, by json-rules-engine. */
export async function jreDecide(engine: Engine, flat: Ctx): Promise<Set<string>> {
  const { events } = await engine.run(flat);
  return new Set(events.map((e) => e.type));
}

/**
 * The shared harness: every rule for each member in turn, as the engine does when a profile changes
 * (which programs does this member enter or leave, which guards hold), counting matches.
 */
function countMatches(evaluators: readonly Evaluator[], contexts: readonly Ctx[]): number {
  let matches = 0;
  const n = evaluators.length;
  for (let i = 0; i < contexts.length; i++) {
    const ctx = contexts[i] as Ctx;
    for (let r = 0; r < n; r++) if ((evaluators[r] as Evaluator)(ctx)) matches++;
  }
  return matches;
}

interface Measurement {
  engine: string;
  evaluations: number;
  seconds: number;
  perSecond: number;
  matches: number;
}

function measureSync(
  engine: string,
  evaluators: Evaluator[],
  contexts: Ctx[],
  rounds: number,
): Measurement {
  const evaluations = evaluators.length * contexts.length;
  let best = Infinity;
  let matches = 0;
  for (let round = 0; round < rounds; round++) {
    const t0 = performance.now();
    matches = countMatches(evaluators, contexts);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return { engine, evaluations, seconds: best, perSecond: evaluations / best, matches };
}

async function measureJre(name: string, engine: Engine, facts: Ctx[]): Promise<Measurement> {
  await jreDecide(engine, facts[0] as Ctx); // warm up
  const t0 = performance.now();
  let matches = 0;
  for (const f of facts) matches += (await jreDecide(engine, f)).size;
  const seconds = (performance.now() - t0) / 1000;
  const evaluations = decideRules.length * facts.length;
  return { engine: name, evaluations, seconds, perSecond: evaluations / seconds, matches };
}

const fmt = (n: number) =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(0);

export async function main(): Promise<void> {
  const profileCount = Number(process.env.BENCH_PROFILES ?? 1_000_000);
  const jreCount = Math.min(20_000, profileCount);
  const celJsCount = Math.min(100_000, profileCount);
  const t0 = performance.now();
  const { contexts, flat } = generateProfiles(profileCount, 20260511);
  console.log(
    `bench/decide: ${decideRules.length} program conditions × ${fmt(profileCount)} generated profiles (seed 20260511, built with factsToContext in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );

  const compileStart = performance.now();
  const compiled = compiledEvaluators();
  const compileMs = (performance.now() - compileStart) / decideRules.length;
  const closures = closureEvaluators();

  // Alternate the two fast engines so neither gets a warmer JIT; keep each one's best of 3 passes.
  measureSync('warm-up', compiled, contexts.slice(0, 50_000), 1);
  measureSync('warm-up', closures, contexts.slice(0, 50_000), 1);
  let ours: Measurement | null = null;
  let hand: Measurement | null = null;
  for (let round = 0; round < 3; round++) {
    const a = measureSync('compiled CEL (ours)', compiled, contexts, 1);
    const b = measureSync('hand-written closures', closures, contexts, 1);
    if (!ours || a.seconds < ours.seconds) ours = a;
    if (!hand || b.seconds < hand.seconds) hand = b;
  }
  if (!ours || !hand) throw new Error('no measurement');
  if (ours.matches !== hand.matches) {
    throw new Error(`compiled and closures disagree: ${ours.matches} vs ${hand.matches}`);
  }
  const fast = ours;
  const cel = measureSync(
    '@marcbachmann/cel-js',
    celJsEvaluators(),
    contexts.slice(0, celJsCount),
    1,
  );
  const jreFlat = await measureJre(
    'json-rules-engine (flat)',
    jreEngine('flat'),
    flat.slice(0, jreCount),
  );
  const jreNested = await measureJre(
    'json-rules-engine (path)',
    jreEngine('nested'),
    contexts.slice(0, jreCount),
  );

  console.log('');
  console.log('engine                      profiles  evaluations    seconds  evaluations/s');
  for (const m of [ours, hand, cel, jreFlat, jreNested]) {
    console.log(
      `${m.engine.padEnd(26)} ${fmt(m.evaluations / decideRules.length).padStart(9)} ${fmt(m.evaluations).padStart(12)} ${m.seconds.toFixed(3).padStart(10)} ${fmt(m.perSecond).padStart(14)}`,
    );
  }
  const ratio = (m: Measurement) => fast.perSecond / m.perSecond;
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  console.log('');
  console.log(
    `compile once: ${compileMs.toFixed(3)} ms per condition (parse, type-check, generate JS)`,
  );
  console.log(
    `compiled / closures:                       ${ratio(hand).toFixed(2)}×  target ≥ 0.9×  ${verdict(ratio(hand) >= 0.9)}`,
  );
  for (const jre of [jreFlat, jreNested]) {
    const r = ratio(jre);
    const label = jre === jreFlat ? '(flat facts)' : '(JSONPath)  ';
    console.log(
      `compiled / json-rules-engine ${label}: ${r.toFixed(0)}×  target ≥ 500×  ${verdict(r >= 500)}   (closures: ${(hand.perSecond / jre.perSecond).toFixed(0)}×)`,
    );
  }
  console.log(
    `compiled / cel-js:                         ${ratio(cel).toFixed(0)}×  (cel-js throws on each absent fact; most profiles lack some)`,
  );
  console.log(
    `conditions holding per profile: ${(ours.matches / profileCount).toFixed(3)}; the four engines agree (bench/decide.test.ts)`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
