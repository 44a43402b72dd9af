import type { DurationLikeObject } from 'luxon';
import type { FactSchema } from '../expr/index.ts';
import { indicators } from '../clinical/indicators.ts';
import { redFlagRules } from '../clinical/redFlagRules.ts';
import { isBuiltinPlaceholder } from './builtinPlaceholders.ts';
import type {
  CareProgram,
  CompiledCondition,
  CompiledStep,
  CompiledTrigger,
} from './careProgram.ts';
import { booleanTypeNames, numericTypeNames, type ConditionLanguage } from './conditionLanguage.ts';
import type {
  EventFilter,
  LocalizedText,
  ProgramDefinition,
  StepDefinition,
  StepTarget,
  TriggerDefinition,
} from './programDefinition.ts';
import { parseProgramDuration, parseTimeOfDay } from './programTime.ts';
import { validateRrule } from './recurrence.ts';
import { isValidPlaceholderName, placeholdersOf } from './templateText.ts';
import type { PathSegment } from './yamlLocator.ts';

/** A semantic problem: where (path in the file), what, and for conditions the offset inside it. */
export interface SemanticIssue {
  path: PathSegment[];
  message: string;
  /** Inside a scalar (a condition, a text): position of the problem in it. */
  inScalar?: { offset: number; line: number };
  at?: 'key' | 'value';
}

const indicatorIds: ReadonlySet<string> = new Set(indicators.map((i) => i.id));
const redFlagKinds: readonly string[] = Object.keys(redFlagRules);
const cjk = /[\u3400-\u9fff\uf900-\ufaff]/;
const withoutPlaceholders = (s: string): string => s.replace(/\{\{[^{}]*\}\}/g, '');

/** Where each step was written, for error positions. */
interface StepSite {
  step: StepDefinition;
  path: PathSegment[];
  sequence: string;
}

export function compileProgram(
  def: ProgramDefinition,
  file: string,
  language: ConditionLanguage,
): { ok: true; program: CareProgram } | { ok: false; issues: SemanticIssue[] } {
  const issues: SemanticIssue[] = [];
  const issue = (path: PathSegment[], message: string, at?: 'key' | 'value'): void => {
    issues.push(at ? { path, message, at } : { path, message });
  };
  const issueInText = (
    path: PathSegment[],
    message: string,
    text: string,
    offset: number,
  ): void => {
    const line = text.slice(0, offset).split('\n').length;
    issues.push({ path, message, inScalar: { offset, line } });
  };

  const sequenceNames = new Set(Object.keys(def.sequences));
  const templates = def.templates ?? {};
  const content = def.content ?? {};

  // ---- conditions: compiled once, type-checked as booleans, over profile facts and `enrollment.*`
  const goalNames = new Set<string>();
  const collectGoals = (list: StepDefinition[]): void => {
    for (const s of list) {
      if (s.kind === 'goal') goalNames.add(s.goal);
      if (s.kind === 'branch') {
        for (const c of s.cases) if (Array.isArray(c.then)) collectGoals(c.then);
        if (Array.isArray(s.else)) collectGoals(s.else);
      }
      if (s.kind === 'split')
        for (const a of s.arms) if (Array.isArray(a.then)) collectGoals(a.then);
    }
  };
  for (const list of Object.values(def.sequences)) collectGoals(list);
  const scope: FactSchema = {
    enrollment: {
      map: {
        day: 'int',
        week: 'int',
        goals: { map: Object.fromEntries([...goalNames].map((g) => [g, 'timestamp' as const])) },
      },
    },
  };

  const condition = (source: string, path: PathSegment[]): CompiledCondition | null => {
    const r = language.compile(source, scope);
    if (!r.ok) {
      for (const i of r.issues) {
        issues.push({
          path,
          message: `condition: ${i.message}`,
          inScalar: { offset: i.offset, line: i.line },
        });
      }
      return null;
    }
    if (!booleanTypeNames.has(r.type)) {
      issue(path, `condition must be true/false, but '${source}' is of type ${r.type}`);
      return null;
    }
    return { source, evaluate: (ctx) => r.evaluate(ctx) === true };
  };

  const duration = (text: string, path: PathSegment[]): DurationLikeObject | null => {
    const d = parseProgramDuration(text);
    if (!d)
      issue(path, `invalid duration '${text}' (use 30m, 3h, 3d, 2w or ISO 8601 such as PT3H)`);
    return d;
  };

  const checkIndicator = (id: string | undefined, path: PathSegment[]): void => {
    if (id !== undefined && !indicatorIds.has(id)) {
      issue(path, `unknown indicator '${id}' (not in the indicator catalogue)`);
    }
  };

  // ---- texts: translations and placeholders
  const checkText = (text: LocalizedText, path: PathSegment[]): void => {
    const zh = text['zh-CN'];
    const en = text.en;
    if (!cjk.test(withoutPlaceholders(zh))) {
      issue([...path, 'zh-CN'], 'missing translation: the zh-CN text has no Chinese');
    }
    if (cjk.test(withoutPlaceholders(en))) {
      issue([...path, 'en'], 'missing translation: the en text contains Chinese characters');
    }
    const names = { 'zh-CN': placeholdersOf(zh), en: placeholdersOf(en) };
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const p of names[locale]) {
        if (!isValidPlaceholderName(p.name)) {
          issueInText(
            [...path, locale],
            `malformed placeholder '{{${p.name}}}'`,
            text[locale],
            p.offset,
          );
        } else if (!isBuiltinPlaceholder(p.name) && language.factType(p.name) === null) {
          issueInText(
            [...path, locale],
            `unknown placeholder '{{${p.name}}}': not a profile fact or built-in`,
            text[locale],
            p.offset,
          );
        }
      }
    }
    const zhSet = new Set(names['zh-CN'].map((p) => p.name));
    const enSet = new Set(names.en.map((p) => p.name));
    for (const n of enSet) {
      if (!zhSet.has(n))
        issue([...path, 'zh-CN'], `the zh-CN text lacks {{${n}}} that the en text uses`);
    }
    for (const n of zhSet) {
      if (!enSet.has(n))
        issue([...path, 'en'], `the en text lacks {{${n}}} that the zh-CN text uses`);
    }
  };

  for (const [key, text] of Object.entries(templates)) checkText(text, ['templates', key]);
  for (const [series, items] of Object.entries(content)) {
    items.forEach((item, i) => {
      for (const [part, text] of Object.entries(item))
        checkText(text, ['content', series, i, part]);
    });
  }

  const checkTextSource = (
    step: {
      text?: LocalizedText;
      title?: LocalizedText;
      template?: string;
      content?: { series: string; part: string };
    },
    path: PathSegment[],
  ): void => {
    if (step.text) checkText(step.text, [...path, 'text']);
    if (step.title) checkText(step.title, [...path, 'title']);
    if (step.template !== undefined && !(step.template in templates)) {
      issue([...path, 'template'], `unknown template '${step.template}'`);
    }
    if (step.content) {
      const items = content[step.content.series];
      if (!items) {
        issue([...path, 'content', 'series'], `unknown content series '${step.content.series}'`);
      } else {
        const missing = items.findIndex((it) => !(step.content!.part in it));
        if (missing >= 0) {
          issue(
            [...path, 'content', 'part'],
            `item ${missing + 1} of series '${step.content.series}' has no part '${step.content.part}'`,
          );
        }
      }
    }
  };

  // ---- steps: ids, references, static continuations
  const sites = new Map<string, StepSite>();
  const compiled = new Map<string, CompiledStep>();
  const firstOf = (name: string): string | null => def.sequences[name]?.[0]?.id ?? null;
  /** Sequence → the sequences it can move to (branch/split/goto references). */
  const references = new Map<string, { to: string; path: PathSegment[] }[]>();

  const memberTaskIds = new Set<string>();
  const collectTaskIds = (list: StepDefinition[]): void => {
    for (const s of list) {
      if (s.kind === 'member-task') memberTaskIds.add(s.id);
      if (s.kind === 'branch') {
        for (const c of s.cases) if (Array.isArray(c.then)) collectTaskIds(c.then);
        if (Array.isArray(s.else)) collectTaskIds(s.else);
      }
      if (s.kind === 'split')
        for (const a of s.arms) if (Array.isArray(a.then)) collectTaskIds(a.then);
    }
  };
  for (const list of Object.values(def.sequences)) collectTaskIds(list);

  const resolveTarget = (
    target: StepTarget,
    path: PathSegment[],
    sequence: string,
    continuation: string | null,
  ): string => {
    if (typeof target === 'string') {
      if (!sequenceNames.has(target)) {
        issue(path, `unknown sequence '${target}'`);
        return '';
      }
      const refs = references.get(sequence) ?? [];
      refs.push({ to: target, path });
      references.set(sequence, refs);
      return firstOf(target) ?? '';
    }
    compileList(target, path, sequence, continuation);
    return target[0]?.id ?? '';
  };

  const compileList = (
    list: StepDefinition[],
    path: PathSegment[],
    sequence: string,
    continuation: string | null,
  ): void => {
    list.forEach((step, i) => {
      const stepPath = [...path, i];
      const next = list[i + 1]?.id ?? continuation;
      const prior = sites.get(step.id);
      if (prior) {
        issue(
          [...stepPath, 'id'],
          `duplicate step id '${step.id}' (also in sequence '${prior.sequence}')`,
        );
        return;
      }
      sites.set(step.id, { step, path: stepPath, sequence });
      const base = { id: step.id, next, sequence };
      switch (step.kind) {
        case 'message':
          checkTextSource(step, stepPath);
          if ((step.purpose === 'promotion') !== (step.priority === 'marketing')) {
            issue(
              [...stepPath, 'purpose'],
              step.purpose === 'promotion'
                ? `a promotion must have priority 'marketing', not '${step.priority}' (no promotions disguised as care)`
                : `a marketing-priority message must have purpose 'promotion'`,
            );
          }
          if (step.priority === 'marketing' && def.category !== 'marketing') {
            issue(
              [...stepPath, 'priority'],
              `marketing messages belong in a 'marketing' program, not '${def.category}'`,
            );
          }
          if (step.priority === 'red-flag' && def.category !== 'clinical') {
            issue([...stepPath, 'priority'], `red-flag messages belong in a 'clinical' program`);
          }
          compiled.set(step.id, {
            ...base,
            kind: 'message',
            def: step,
            expiresAfter:
              step.expiresAfter !== undefined
                ? duration(step.expiresAfter, [...stepPath, 'expiresAfter'])
                : null,
          });
          break;
        case 'member-task': {
          checkTextSource(step, stepPath);
          let within: DurationLikeObject | null = null;
          if ('within' in step.due)
            within = duration(step.due.within, [...stepPath, 'due', 'within']);
          if (typeof step.completedBy === 'object') {
            checkIndicator(step.completedBy.indicator, [...stepPath, 'completedBy', 'indicator']);
          }
          compiled.set(step.id, { ...base, kind: 'member-task', def: step, within });
          break;
        }
        case 'care-team-task':
          checkTextSource(step, stepPath);
          compiled.set(step.id, { ...base, kind: 'care-team-task', def: step });
          break;
        case 'wait': {
          if (next === null) issue(stepPath, 'a wait at the end of a sequence does nothing');
          const d = step.for !== undefined ? duration(step.for, [...stepPath, 'for']) : null;
          compiled.set(step.id, { ...base, kind: 'wait', duration: d, until: step.until ?? null });
          break;
        }
        case 'branch': {
          const cases = step.cases.map((c, ci) => ({
            when: condition(c.when, [...stepPath, 'cases', ci, 'when']),
            target: resolveTarget(c.then, [...stepPath, 'cases', ci, 'then'], sequence, next),
          }));
          const elseTarget =
            step.else === undefined
              ? null
              : resolveTarget(step.else, [...stepPath, 'else'], sequence, next);
          compiled.set(step.id, {
            ...base,
            kind: 'branch',
            cases: cases.flatMap((c) => (c.when ? [{ when: c.when, target: c.target }] : [])),
            elseTarget,
          });
          break;
        }
        case 'split': {
          const names = new Set<string>();
          const arms = step.arms.map((a, ai) => {
            if (names.has(a.name))
              issue([...stepPath, 'arms', ai, 'name'], `duplicate arm '${a.name}'`);
            names.add(a.name);
            return {
              name: a.name,
              weight: a.weight,
              target: resolveTarget(a.then, [...stepPath, 'arms', ai, 'then'], sequence, next),
            };
          });
          compiled.set(step.id, { ...base, kind: 'split', arms });
          break;
        }
        case 'goto':
          compiled.set(step.id, {
            ...base,
            kind: 'goto',
            target: resolveTarget(step.goto, [...stepPath, 'goto'], sequence, next),
          });
          break;
        case 'goal':
          compiled.set(step.id, { ...base, kind: 'goal', def: step });
          break;
        case 'exit':
          compiled.set(step.id, { ...base, kind: 'exit', def: step });
          break;
        case 'cancel':
          step.sequences.forEach((name, si) => {
            if (!sequenceNames.has(name))
              issue([...stepPath, 'sequences', si], `unknown sequence '${name}'`);
          });
          compiled.set(step.id, { ...base, kind: 'cancel', sequences: new Set(step.sequences) });
          break;
      }
    });
  };

  for (const [name, list] of Object.entries(def.sequences)) {
    compileList(list, ['sequences', name], name, null);
  }

  // ---- cycles among sequence references (a flow must always end)
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const ref of references.get(name) ?? []) {
      const s = state.get(ref.to);
      if (s === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(ref.to)), ref.to];
        issue(ref.path, `cycle in step references: ${cycle.join(' → ')}`);
      } else if (s === undefined) {
        visit(ref.to);
      }
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of sequenceNames) if (!state.has(name)) visit(name);

  // ---- triggers
  const triggerIds = new Set<string>();
  const triggers: CompiledTrigger[] = [];
  const checkFilter = (f: EventFilter, path: PathSegment[]): void => {
    if (f.indicator !== undefined) {
      if (f.on !== 'observation')
        issue([...path, 'indicator'], `'indicator' filters observation events only`);
      checkIndicator(f.indicator, [...path, 'indicator']);
    }
    if (f.flag !== undefined) {
      if (f.on !== 'red-flag') issue([...path, 'flag'], `'flag' filters red-flag events only`);
      else if (!redFlagKinds.includes(f.flag)) {
        issue(
          [...path, 'flag'],
          `unknown red flag '${f.flag}' (expected one of: ${redFlagKinds.join(', ')})`,
        );
      }
    }
    if (f.task !== undefined) {
      if (f.on !== 'task-done') issue([...path, 'task'], `'task' filters task-done events only`);
      else if (!memberTaskIds.has(f.task))
        issue([...path, 'task'], `'${f.task}' is not a member-task step of this program`);
    }
  };

  def.triggers.forEach((t: TriggerDefinition, i) => {
    const path: PathSegment[] = ['triggers', i];
    if (triggerIds.has(t.id)) issue([...path, 'id'], `duplicate trigger id '${t.id}'`);
    triggerIds.add(t.id);
    const startStepId = sequenceNames.has(t.start) ? firstOf(t.start) : null;
    if (!sequenceNames.has(t.start)) issue([...path, 'start'], `unknown sequence '${t.start}'`);
    const when = t.when !== undefined ? condition(t.when, [...path, 'when']) : null;
    const cooldown = t.cooldown !== undefined ? duration(t.cooldown, [...path, 'cooldown']) : null;
    let delay: DurationLikeObject | null = null;
    const backoff: DurationLikeObject[] = [];
    switch (t.kind) {
      case 'event':
        checkFilter(t, path);
        break;
      case 'schedule':
        if (t.rrule !== undefined) {
          for (const p of validateRrule(t.rrule)) issue([...path, 'rrule'], `invalid RRULE: ${p}`);
        }
        break;
      case 'relative': {
        checkFilter(t.after, [...path, 'after']);
        delay = duration(t.delay, [...path, 'delay']);
        const [from, to] = t.after.between ?? [];
        if (from !== undefined && to !== undefined && parseTimeOfDay(from) === parseTimeOfDay(to)) {
          issue([...path, 'after', 'between'], 'the time window is empty');
        }
        break;
      }
      case 'absence':
        if ('indicator' in t.of) checkIndicator(t.of.indicator, [...path, 'of', 'indicator']);
        delay = duration(t.for, [...path, 'for']);
        (t.backoff ?? []).forEach((b, bi) => {
          const d = duration(b, [...path, 'backoff', bi]);
          if (d) backoff.push(d);
        });
        break;
      case 'threshold': {
        checkIndicator(t.indicator, [...path, 'indicator']);
        if (t.fact !== undefined) {
          const type = language.factType(t.fact);
          if (type === null) issue([...path, 'fact'], `unknown fact '${t.fact}'`);
          else if (!numericTypeNames.has(type)) {
            issue(
              [...path, 'fact'],
              `fact '${t.fact}' is of type ${type}, a threshold needs a number`,
            );
          }
        }
        if (t.above !== undefined && t.reset >= t.above) {
          issue(
            [...path, 'reset'],
            `reset (${t.reset}) must be below 'above' (${t.above}) for hysteresis`,
          );
        }
        if (t.below !== undefined && t.reset <= t.below) {
          issue(
            [...path, 'reset'],
            `reset (${t.reset}) must be above 'below' (${t.below}) for hysteresis`,
          );
        }
        break;
      }
      case 'location':
      case 'date':
        break;
    }
    triggers.push({
      def: t,
      id: t.id,
      startStepId: startStepId ?? '',
      when,
      cooldown,
      delay,
      backoff,
    });
  });

  const entry = condition(def.entry, ['entry']);
  const exit = def.exit !== undefined ? condition(def.exit, ['exit']) : null;

  if (issues.length > 0 || !entry) return { ok: false, issues };
  const sequences = new Map<string, string>();
  for (const name of sequenceNames) sequences.set(name, firstOf(name) ?? '');
  return {
    ok: true,
    program: {
      id: def.id,
      version: String(def.version),
      key: `${def.id}@${String(def.version)}`,
      category: def.category,
      title: def.title,
      description: def.description,
      file,
      definition: def,
      entry,
      exit,
      triggers,
      steps: compiled,
      sequences,
      templates,
      content,
      toConditionContext: (facts, now, enrollment) =>
        enrollment
          ? language.toContext(facts, now, { enrollment }, scope)
          : language.toContext(facts, now),
      factType: (key) => language.factType(key),
    },
  };
}
