import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../io.ts';
import { run } from './program.ts';

const repo = join(import.meta.dirname, '..', '..', '..', '..');

async function careloop(...argv: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    cwd: repo,
    env: {},
  };
  const code = await run(argv, io);
  return { code, out, err };
}

describe('careloop program validate', () => {
  it('prints OK for every shipped program and exits 0', async () => {
    const { code, out } = await careloop('validate', 'programs');
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(9);
    expect(lines).toContain(
      'OK programs/hypertension-self-monitoring.yaml (hypertension-self-monitoring@1)',
    );
    expect(lines.every((l) => l.startsWith('OK programs/'))).toBe(true);
  });

  it('prints file:line:column reasons and exits 1 for a bad file', async () => {
    const file = 'packages/core/src/programs/testdata/invalid/unknown-step-kind.yaml';
    const { code, out } = await careloop('validate', file);
    expect(code).toBe(1);
    expect(out).toBe(
      `${file}:13:13: sequences.main[0].kind: unknown step kind 'sms' (expected one of: message, member-task, care-team-task, wait, branch, split, goto, goal, exit, cancel)\n`,
    );
  });

  it('checks a whole folder and fails if any file fails', async () => {
    const { code, out } = await careloop('validate', 'packages/core/src/programs/testdata/invalid');
    expect(code).toBe(1);
    expect(out).toContain(
      'cycle.yaml:23:17: sequences.second[0].cases[0].then: cycle in step references: first → second → first',
    );
    expect(out).toContain(
      "invalid-rrule.yaml:11:12: triggers[0].rrule: invalid RRULE: unknown FREQ 'WEEKY'",
    );
    expect(out).not.toContain('OK ');
  });

  it('reports a missing path and bad usage', async () => {
    const missing = await careloop('validate', 'programs/nope.yaml');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('programs/nope.yaml');
    expect((await careloop()).code).toBe(2);
    expect((await careloop('validate')).code).toBe(2);
  });
});

describe('careloop program preview', () => {
  const program = 'programs/hypertension-self-monitoring.yaml';
  const fixture = 'programs/fixtures/hypertension-member.json';

  it('prints the member’s days with every deferral and its reason', async () => {
    const { code, out } = await careloop('preview', program, '--member', fixture, '--days', '30');
    expect(code).toBe(0);
    expect(out).toContain(
      'hypertension-self-monitoring@1 · 高血压自我监测 · 30 days from 2025-03-03 00:00 (Asia/Shanghai)',
    );
    expect(out).toContain('Day 4 · 2025-03-06 Thu');
    expect(out).toContain(
      '  07:30  message  bp-reminder-message [care · reminder · in-app] DEFERRED until 2025-03-06 08:00: quiet-hours — 2025-03-06 07:30 Asia/Shanghai is inside quiet hours',
    );
    expect(out).toContain(
      '  08:00  message  bp-reminder-message [care · reminder · in-app] (retry) sent',
    );
    expect(out).toContain(
      '  07:05  team     red-flag-manager-task → manager · urgent · SLA 30 min',
    );
    expect(out).toContain(
      'hypertension-self-monitoring@1: 15 message decisions (sent 13, deferred 2, suppressed 0), 6 member tasks, 2 care-team tasks',
    );
  });

  it('takes an inline profile, a start, fewer days and the English texts; the policy can be switched off', async () => {
    const member = JSON.stringify({
      member: { locale: 'en', timeZone: 'Europe/London' },
      facts: { 'tag.hypertension': true },
    });
    const { code, out } = await careloop(
      'preview',
      program,
      '--member',
      member,
      '--start',
      '2025-03-03T00:00:00Z',
      '--days',
      '4',
      '--no-policy',
    );
    expect(code).toBe(0);
    // No reading since enrolling at midnight: the reminder comes at midnight 3 days later.
    expect(out).toContain('Day 4 · 2025-03-06 Thu');
    expect(out).toContain(
      '  00:00  message  bp-reminder-message [care · reminder · in-app] requested (policy off)',
    );
    expect(out).toContain("We haven't received a blood pressure reading from you for 3 days.");
    expect(out).toContain('contact policy OFF');
  });

  it('prints JSON entries with --json', async () => {
    const { code, out } = await careloop(
      'preview',
      program,
      '--member',
      fixture,
      '--days',
      '4',
      '--json',
    );
    expect(code).toBe(0);
    const entries = JSON.parse(out) as { kind: string; stepId?: string; day: number }[];
    expect(entries.filter((e) => e.kind === 'message').map((e) => [e.day, e.stepId])).toEqual([
      [1, 'post-dose-message'],
      [4, 'bp-reminder-message'],
      [4, 'bp-reminder-message'],
      [4, 'reading-thanks'],
    ]);
  });

  it('says so when the member does not meet the entry criteria', async () => {
    const member = JSON.stringify({
      member: { locale: 'zh-CN', timeZone: 'Asia/Shanghai' },
      facts: { 'tag.diabetes': true },
    });
    const { code, out } = await careloop(
      'preview',
      program,
      '--member',
      member,
      '--start',
      '2025-03-03T00:00:00Z',
    );
    expect(code).toBe(0);
    expect(out).toBe(
      'hypertension-self-monitoring@1: the member does not meet the entry criteria (tag.hypertension)\n',
    );
  });

  it('rejects a bad fixture with the field paths, and bad options', async () => {
    const member = JSON.stringify({
      member: { locale: 'fr', timeZone: 'Mars/Olympus' },
      events: [{ at: 'soon' }],
    });
    const bad = await careloop('preview', program, '--member', member);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('member.timeZone: unknown IANA time zone "Mars/Olympus"');
    expect(bad.err).toContain('member.locale: must be zh-CN or en');
    expect(bad.err).toContain('facts: required object');
    expect(bad.err).toContain('events[0].kind: required');
    expect((await careloop('preview', program, '--member', fixture, '--days', '0')).code).toBe(2);
    expect((await careloop('preview', program)).err).toContain('preview needs --member');
    expect((await careloop('preview', program, '--member', '{not json')).code).toBe(2);
  });

  it('refuses to preview an invalid program, printing its issues', async () => {
    const { code, err } = await careloop(
      'preview',
      'packages/core/src/programs/testdata/invalid/cycle.yaml',
      '--member',
      fixture,
    );
    expect(code).toBe(1);
    expect(err).toContain('cycle.yaml:23:17:');
  });
});
