import { LineCounter, parseDocument } from 'yaml';
import type { CareProgram } from './careProgram.ts';
import { compileProgram } from './compileProgram.ts';
import type { ConditionLanguage } from './conditionLanguage.ts';
import { defaultConditionLanguage } from './defaultConditionLanguage.ts';
import type { ProgramDefinition } from './programDefinition.ts';
import { checkProgramSchema } from './programSchema.ts';
import { createYamlLocator, formatPath } from './yamlLocator.ts';

/** One problem in a program file, located for an editor: `file:line:column path: message`. */
export interface ProgramIssue {
  file: string;
  line: number;
  column: number;
  /** Dotted path of the value, e.g. `sequences.remind[0].kind`. */
  path: string;
  message: string;
}

export type LoadResult = { ok: true; program: CareProgram } | { ok: false; issues: ProgramIssue[] };

export interface ParseProgramOptions {
  /** The condition language; defaults to the profile-fact language of packages/core/src/expr. */
  language?: ConditionLanguage;
}

const byPosition = (a: ProgramIssue, b: ProgramIssue): number =>
  a.line - b.line || a.column - b.column || a.message.localeCompare(b.message);

/**
 * Parses and validates a program file: YAML syntax, the JSON Schema, then semantic checks
 * (references, cycles, RRULEs, conditions over known facts, translations, placeholders). Every
 * problem is reported with its line and column; conditions are compiled once here.
 */
export function parseProgram(
  yamlText: string,
  file: string,
  opts: ParseProgramOptions = {},
): LoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => {
        const p = lineCounter.linePos(e.pos[0]);
        return { file, line: p.line, column: p.col, path: '', message: `YAML: ${e.message}` };
      }),
    };
  }
  const locator = createYamlLocator(doc, lineCounter, yamlText);
  const value: unknown = doc.toJS({ maxAliasCount: 100 });

  const schemaIssues = checkProgramSchema(value);
  if (schemaIssues.length > 0) {
    return {
      ok: false,
      issues: schemaIssues
        .map((i) => ({
          file,
          ...locator.locate(i.path, i.at),
          path: formatPath(i.path),
          message: i.message,
        }))
        .sort(byPosition),
    };
  }

  const result = compileProgram(
    value as ProgramDefinition,
    file,
    opts.language ?? defaultConditionLanguage,
  );
  if (!result.ok) {
    return {
      ok: false,
      issues: result.issues
        .map((i) => ({
          file,
          ...(i.inScalar
            ? locator.locateInScalar(i.path, i.inScalar.offset, i.inScalar.line)
            : locator.locate(i.path, i.at)),
          path: formatPath(i.path),
          message: i.message,
        }))
        .sort(byPosition),
    };
  }
  return result;
}

/** `file:line:column: path: message`, the form editors and CI logs link. */
export function formatProgramIssue(i: ProgramIssue): string {
  return `${i.file}:${i.line}:${i.column}: ${i.path ? `${i.path}: ` : ''}${i.message}`;
}
