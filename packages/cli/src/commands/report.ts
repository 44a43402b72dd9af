import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliCommand, CliIo } from '../io.ts';
import {
  interpretCheckupReport,
  type CheckupInterpretation,
  type InterpretedItem,
} from '@careloop/core';

const usageError = 2;

const usage = [
  'usage: careloop report <file> [--previous <file>] [--sex male|female] [--age <years>] [--json]',
  '',
  'Interprets a checkup report: a FHIR DiagnosticReport (or a Bundle holding one) as JSON, or a',
  "checkup centre's CSV/JSON table with columns 项目名称, 结果, 单位, 参考范围 (参考值), 提示.",
  'Prints the abnormal items with direction and grade, the change since --previous, a summary in',
  'zh-CN and en, and the follow-ups it recommends. Exit 0, or 1 when some rows could not be read.',
  '',
].join('\n');

function fail(io: CliIo, message: string): number {
  io.stderr(`careloop report: ${message}\n`);
  return usageError;
}

/** CSV text stays text; JSON files are parsed here so a FHIR resource is recognised. */
async function load(io: CliIo, file: string): Promise<unknown> {
  const text = await readFile(resolve(io.cwd, file), 'utf8');
  return text;
}

const statusMark: Record<InterpretedItem['status'], string> = {
  high: '↑',
  low: '↓',
  abnormal: '!',
  normal: ' ',
  unknown: '?',
};

function human(r: CheckupInterpretation): string {
  const lines: string[] = [];
  lines.push(
    `报告日期 / report date: ${r.date ?? 'unknown'}  (${r.format}, ${r.items.length} items)`,
  );
  lines.push('');
  for (const i of r.items) {
    const ref = i.reference?.text
      ? `  [${i.reference.text}${i.referenceSource === 'catalogue' ? ' *' : ''}]`
      : '';
    const grade = i.grade ? ` ${i.grade}` : '';
    const change = i.change
      ? `  (prev ${i.change.previous}, ${i.change.delta >= 0 ? '+' : ''}${i.change.delta}, ${i.change.assessment})`
      : '';
    const gl = i.guideline ? `  ${i.guideline.cls}` : '';
    lines.push(
      `${statusMark[i.status]} ${i.name.padEnd(14)} ${`${i.valueText}${i.unit ? ` ${i.unit}` : ''}`.padEnd(16)}${grade}${ref}${gl}${change}`,
    );
  }
  if (r.items.some((i) => i.referenceSource === 'catalogue'))
    lines.push('  * reference from the CareLoop catalogue (the report printed none)');
  lines.push('', r.summary['zh-CN'], '', r.summary.en, '');
  if (r.followUps.length > 0) {
    lines.push('follow-ups:');
    for (const f of r.followUps)
      lines.push(`  ${f.urgent ? '!! ' : ''}${f.id}  (${f.items.join(', ')})`);
    lines.push('');
  }
  if (r.issues.length > 0) {
    lines.push('rows not read:');
    for (const i of r.issues) lines.push(`  ${i.path}: ${i.message}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** `careloop report <file> [--previous <file>] [--json]`. */
export const run: CliCommand = async (argv, io) => {
  let file: string | undefined;
  let previous: string | undefined;
  let json = false;
  let sex: string | undefined;
  let age: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--help' || a === '-h') {
      io.stderr(usage);
      return usageError;
    } else if (a === '--json') json = true;
    else if (a === '--previous') {
      previous = argv[++i];
      if (!previous) return fail(io, '--previous needs a file');
    } else if (a === '--sex') {
      sex = argv[++i];
      if (sex !== 'male' && sex !== 'female') return fail(io, '--sex must be male or female');
    } else if (a === '--age') {
      age = Number(argv[++i]);
      if (!Number.isFinite(age) || age < 0 || age > 130)
        return fail(io, '--age must be a number of years');
    } else if (a.startsWith('--')) return fail(io, `unknown option '${a}'\n${usage}`);
    else if (file === undefined) file = a;
    else return fail(io, `unexpected argument '${a}'`);
  }
  if (!file) {
    io.stderr(usage);
    return usageError;
  }
  let current: unknown;
  let prev: unknown;
  try {
    current = await load(io, file);
    if (previous) prev = await load(io, previous);
  } catch (e) {
    return fail(io, (e as Error).message);
  }
  const result = interpretCheckupReport(current, prev, { sex: sex ?? null, ageYears: age ?? null });
  io.stdout(json ? `${JSON.stringify(result, null, 2)}\n` : human(result));
  return result.issues.length > 0 ? 1 : 0;
};
