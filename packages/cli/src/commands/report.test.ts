import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../io.ts';
import { run } from './report.ts';

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    cwd,
    env: {},
  };
  return { value, out, err };
}

describe('careloop report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'careloop-report-'));
  writeFileSync(
    join(dir, 'now.csv'),
    '项目名称,结果,单位,参考范围\n空腹血糖,7.2,mmol/L,3.9-6.1\n甘油三酯,abc,mmol/L,<1.7\n',
  );
  writeFileSync(
    join(dir, 'before.csv'),
    '项目名称,结果,单位,参考范围\n空腹血糖,6.0,mmol/L,3.9-6.1\n',
  );

  it('prints items, summary, follow-ups and unread rows; exit 1 when a row was not read', async () => {
    const t = io(dir);
    const code = await run(['now.csv', '--previous', 'before.csv'], t.value);
    const text = t.out.join('');
    expect(code).toBe(1);
    expect(text).toContain('followup.recheck-fpg-ogtt');
    expect(text).toContain('rows[2].value');
    expect(text).toMatch(/prev 6, \+1\.2, worse/);
  });

  it('--json prints the interpretation object', async () => {
    const t = io(dir);
    await run(['now.csv', '--json'], t.value);
    const parsed = JSON.parse(t.out.join('')) as {
      abnormal: { name: string }[];
      followUps: { id: string }[];
    };
    expect(parsed.abnormal.map((a) => a.name)).toEqual(['空腹血糖']);
  });

  it('usage errors exit 2', async () => {
    const t = io(dir);
    expect(await run([], t.value)).toBe(2);
    expect(await run(['missing.csv'], t.value)).toBe(2);
    expect(t.err.join('')).toMatch(/ENOENT/);
  });
});
