import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProgramIssue, parseProgram, type ProgramIssue } from './parseProgram.ts';
import { header, loadProgram } from './testdata/testProgram.ts';

const invalidDir = join(import.meta.dirname, 'testdata', 'invalid');

function issuesOf(yaml: string): ProgramIssue[] {
  const r = parseProgram(yaml, 'p.yaml');
  if (r.ok) throw new Error('expected the program to be rejected');
  return r.issues;
}

describe('bad program files are rejected with file:line:column and the reason', () => {
  const files = readdirSync(invalidDir).filter((f) => f.endsWith('.yaml'));
  it('covers every error kind the brief names', () => {
    for (const kind of [
      'unknown-step-kind',
      'cycle',
      'invalid-rrule',
      'unknown-fact',
      'missing-translation',
    ]) {
      expect(files).toContain(`${kind}.yaml`);
    }
  });
  for (const name of files) {
    it(name, () => {
      const text = readFileSync(join(invalidDir, name), 'utf8');
      const expectLine = /^# expect: (\d+):(\d+) (.+)$/m.exec(text);
      if (!expectLine) throw new Error(`${name} lacks an '# expect: line:col message' header`);
      const [, line, column, message] = expectLine;
      const r = parseProgram(text, `programs/${name}`);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      const hit = r.issues.find((i) => i.message.includes(message!));
      expect(hit, `issues: ${r.issues.map(formatProgramIssue).join(' | ')}`).toBeDefined();
      expect(hit).toMatchObject({
        file: `programs/${name}`,
        line: Number(line),
        column: Number(column),
      });
    });
  }
});

describe('parseProgram', () => {
  const valid = `${header()}
triggers:
  - { id: opened, kind: event, on: app-open, start: main }
sequences:
  main:
    - id: hello
      kind: message
      priority: care
      purpose: reminder
      channels: [in-app]
      text: { zh-CN: 您好, en: Hello }
`;

  it('loads a valid program and normalises its version', () => {
    const p = loadProgram(valid);
    expect(p.key).toBe('test-program@1');
    expect(p.version).toBe('1');
    expect(p.sequences.get('main')).toBe('hello');
    expect(p.steps.get('hello')?.next).toBeNull();
  });

  it('accepts a dotted string version', () => {
    expect(loadProgram(valid.replace('version: 1', 'version: "2.1"')).key).toBe('test-program@2.1');
  });

  it('rejects a non-version version with the schema description', () => {
    const [i] = issuesOf(valid.replace('version: 1', 'version: 1.5'));
    expect(i).toMatchObject({ line: 2, column: 10, path: 'version' });
    expect(i!.message).toContain('has the wrong form');
  });

  it('reports YAML syntax errors with their position', () => {
    // Kept inline rather than as a file: a syntactically broken .yaml would fail `prettier --check .`.
    const text = valid.replace('start: main }', 'start: main');
    const [issue, ...rest] = issuesOf(text);
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ file: 'p.yaml', line: 10, column: 1, path: '' });
    expect(issue!.message).toMatch(
      /^YAML: Flow map in block collection must be sufficiently indented and end with a \}/,
    );
  });

  it('reports duplicate keys as YAML errors', () => {
    const [issue] = issuesOf(valid.replace('version: 1', 'version: 1\nversion: 2'));
    expect(issue).toMatchObject({ line: 3, column: 1 });
    expect(issue!.message).toContain('Map keys must be unique');
  });

  it('formats issues the way editors link them', () => {
    const issue: ProgramIssue = {
      file: 'a.yaml',
      line: 3,
      column: 7,
      path: 'entry',
      message: 'bad',
    };
    expect(formatProgramIssue(issue)).toBe('a.yaml:3:7: entry: bad');
  });

  it('reports every problem of a file, sorted by position', () => {
    const text = valid
      .replace('entry: tag.hypertension', 'entry: tag.hypertensoin')
      .replace('on: app-open, start: main', 'on: app-open, start: mian');
    const issues = issuesOf(text);
    expect(issues.map((i) => i.line)).toEqual([6, 9]);
    expect(issues[0]!.message).toContain("did you mean 'tag.hypertension'");
    expect(issues[1]!.message).toBe("unknown sequence 'mian'");
  });

  it('needs exactly one text source on a message', () => {
    const issues = issuesOf(valid.replace('      text: { zh-CN: 您好, en: Hello }\n', ''));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toBe('needs one of: text, template, content');
  });

  it('points into a condition written as a quoted scalar', () => {
    const issues = issuesOf(
      valid.replace('entry: tag.hypertension', "entry: 'tag.hypertension && avg7.sbpp > 1.0'"),
    );
    expect(issues[0]).toMatchObject({ line: 6, column: 29 });
  });

  it('points into a condition written as a block scalar', () => {
    const issues = issuesOf(
      valid.replace(
        'entry: tag.hypertension',
        'entry: |\n  tag.hypertension &&\n    avg7.sbpp > 1.0',
      ),
    );
    expect(issues[0]).toMatchObject({ line: 8, column: 5 });
    expect(issues[0]!.message).toContain("unknown fact 'avg7.sbpp'");
  });

  it('says which alternative to keep when a trigger gives two', () => {
    const text = valid.replace(
      '  - { id: opened, kind: event, on: app-open, start: main }',
      '  - { id: quiet, kind: absence, of: { indicator: sbp, activity: any }, for: 3d, start: main }',
    );
    expect(issuesOf(text)).toEqual([
      {
        file: 'p.yaml',
        line: 9,
        column: 37,
        path: 'triggers[0].of',
        message: 'give only one of: indicator, activity',
      },
    ]);
  });

  it('checks a condition is a boolean, and that its facts exist, in triggers and branches', () => {
    const text = `${header()}
triggers:
  - { id: opened, kind: event, on: app-open, start: main, when: 'latest.sbp' }
sequences:
  main:
    - id: choose
      kind: branch
      cases:
        - when: surgery.kind == "knee"
          then: [{ id: bye, kind: exit, reason: done }]
`;
    const issues = issuesOf(text);
    expect(issues.map((i) => [i.line, i.path])).toEqual([
      [9, 'triggers[0].when'],
      [15, 'sequences.main[0].cases[0].when'],
    ]);
  });

  it('rejects marketing in a non-marketing program and red flags outside clinical ones', () => {
    const text = valid.replace(
      'priority: care\n      purpose: reminder',
      'priority: red-flag\n      purpose: alert',
    );
    expect(issuesOf(text)[0]!.message).toBe("red-flag messages belong in a 'clinical' program");
    const marketing = valid.replace(
      'priority: care\n      purpose: reminder',
      'priority: marketing\n      purpose: promotion',
    );
    expect(issuesOf(marketing)[0]!.message).toBe(
      "marketing messages belong in a 'marketing' program, not 'care'",
    );
  });

  it('rejects unknown templates, series and parts, and placeholders that differ between locales', () => {
    const text = `${header(
      'care',
      `templates:
  t1: { zh-CN: '您好 {{member.name}}', en: Hello }
content:
  lessons:
    - knowledge: { zh-CN: 第一课, en: Lesson one }
    - diet: { zh-CN: 第二课, en: Lesson two }`,
    )}
triggers:
  - { id: opened, kind: event, on: app-open, start: main }
sequences:
  main:
    - { id: a, kind: message, priority: care, purpose: education, channels: [in-app], template: t2 }
    - { id: b, kind: message, priority: care, purpose: education, channels: [in-app], content: { series: lesson, part: knowledge } }
    - { id: c, kind: message, priority: care, purpose: education, channels: [in-app], content: { series: lessons, part: knowledge } }
`;
    const messages = issuesOf(text).map((i) => i.message);
    expect(messages).toEqual([
      'the en text lacks {{member.name}} that the zh-CN text uses',
      "unknown template 't2'",
      "unknown content series 'lesson'",
      "item 2 of series 'lessons' has no part 'knowledge'",
    ]);
  });

  it('rejects a wait that ends a sequence, filters on the wrong event, unknown red flags and tasks', () => {
    const text = `${header('clinical')}
triggers:
  - { id: a, kind: event, on: app-open, indicator: sbp, start: main }
  - { id: b, kind: event, on: red-flag, flag: bp-high, start: main }
  - { id: c, kind: event, on: task-done, task: hello, start: main }
sequences:
  main:
    - { id: hello, kind: wait, for: 1h }
`;
    expect(issuesOf(text).map((i) => i.message)).toEqual([
      "'indicator' filters observation events only",
      "unknown red flag 'bp-high' (expected one of: bp-crisis, hypoglycaemia, hyperglycaemia, bradycardia, tachycardia, chest-pain)",
      "'hello' is not a member-task step of this program",
      'a wait at the end of a sequence does nothing',
    ]);
  });

  it('rejects invalid durations and RRULEs that would fire at midnight or too often', () => {
    const text = `${header()}
triggers:
  - { id: a, kind: schedule, rrule: 'FREQ=DAILY', start: main }
  - { id: b, kind: schedule, rrule: 'FREQ=MINUTELY', start: main }
  - { id: c, kind: schedule, rrule: 'FREQ=WEEKLY;BYDAY=XX;BYHOUR=9', start: main }
sequences:
  main:
    - { id: bye, kind: exit, reason: done }
`;
    const messages = issuesOf(text).map((i) => `${i.line}:${i.message}`);
    expect(messages).toEqual([
      '9:invalid RRULE: FREQ=DAILY needs BYHOUR (and BYMINUTE) so it fires at a sensible local time',
      '10:invalid RRULE: FREQ=MINUTELY is too frequent for a care program',
      "11:invalid RRULE: BYDAY: unknown weekday 'XX' (expected MO, TU, WE, TH, FR, SA, SU)",
    ]);
    const badDelay = text
      .replace("rrule: 'FREQ=MINUTELY'", "rrule: 'FREQ=HOURLY'")
      .replace(
        "{ id: c, kind: schedule, rrule: 'FREQ=WEEKLY;BYDAY=XX;BYHOUR=9', start: main }",
        "{ id: c, kind: relative, after: { on: medication-taken }, delay: 'P', start: main }",
      )
      .replace("rrule: 'FREQ=DAILY'", "rrule: 'FREQ=DAILY;BYHOUR=8'");
    const [delay] = issuesOf(badDelay);
    expect(delay).toMatchObject({ line: 11, path: 'triggers[2].delay' });
    expect(delay!.message).toMatch(/^invalid value 'P' \(30m, 3h, 3d, 2w/);
  });
});
