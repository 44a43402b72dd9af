import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { DateTime } from 'luxon';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { CareProgram } from './careProgram.ts';
import { formatProgramIssue, parseProgram } from './parseProgram.ts';
import {
  previewProgram,
  seededPreviewRandom,
  type PreviewEntry,
  type PreviewFixture,
} from './previewProgram.ts';

const programsDir = join(import.meta.dirname, '..', '..', '..', '..', 'programs');
const programFiles = readdirSync(programsDir).filter((f) => f.endsWith('.yaml'));

function load(name: string): CareProgram {
  const file = `programs/${name}.yaml`;
  const r = parseProgram(readFileSync(join(programsDir, `${name}.yaml`), 'utf8'), file);
  if (!r.ok) throw new Error(r.issues.map(formatProgramIssue).join('\n'));
  return r.program;
}

type Fixture = PreviewFixture & { start: string; enrolledAt?: string };

function preview(
  name: string,
  fixtureName: string,
): { entries: PreviewEntry[]; lines: string[]; zone: string } {
  const fixture = JSON.parse(
    readFileSync(join(programsDir, 'fixtures', `${fixtureName}.json`), 'utf8'),
  ) as Fixture;
  const zone = fixture.member.timeZone;
  const result = previewProgram(load(name), fixture, {
    start: new Date(fixture.start),
    days: 30,
    random: seededPreviewRandom(1),
    ...(fixture.enrolledAt ? { enrolledAt: new Date(fixture.enrolledAt) } : {}),
  });
  expect(result.eligible).toBe(true);
  return { entries: result.entries, lines: summarize(result.entries, zone), zone };
}

/** One line per thing the member or the care team gets: `D4 07:30 message <step> deferred:quiet-hours`. */
function summarize(entries: PreviewEntry[], zone: string): string[] {
  const lines: string[] = [];
  for (const e of entries) {
    if (e.kind === 'event') continue;
    let line = `D${e.day} ${DateTime.fromISO(e.at, { zone }).toFormat('HH:mm')} ${e.kind}`;
    if (e.kind === 'message') {
      const d = e.delivery;
      line += ` ${e.stepId} ${d === null ? 'requested' : d.action === 'send' ? 'sent' : `${d.action === 'defer' ? 'deferred' : 'suppressed'}:${d.reason}`}`;
    } else if (e.kind === 'exit') line += ` ${e.reason}`;
    else if (e.kind === 'skipped') line += ` ${e.triggerId ?? ''}`;
    else line += ` ${e.stepId}`;
    lines.push(line);
  }
  return lines;
}

const messageText = (entries: PreviewEntry[], stepId: string, n = 0) =>
  entries.filter((e) => e.kind === 'message' && e.stepId === stepId)[n] as Extract<
    PreviewEntry,
    { kind: 'message' }
  >;

describe('shipped programs', () => {
  it('ships the nine programs of the care-engine issue', () => {
    expect(programFiles.map((f) => f.replace('.yaml', '')).sort()).toEqual([
      'birthday-and-annual-report',
      'chemotherapy-milestones',
      'churn-rescue',
      'diabetes-self-management',
      'flu-vaccination-immunocompromised',
      'hypertension-self-monitoring',
      'medication-reminders',
      'post-surgery-follow-up',
      'pregnancy-checkup-calendar',
    ]);
  });

  const schema = JSON.parse(
    readFileSync(join(programsDir, 'schema', 'program.schema.json'), 'utf8'),
  ) as object;
  const validateSchema = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

  for (const file of programFiles) {
    it(`${file} passes the published JSON Schema and every semantic check`, () => {
      const text = readFileSync(join(programsDir, file), 'utf8');
      expect(validateSchema(parse(text)), JSON.stringify(validateSchema.errors)).toBe(true);
      const r = parseProgram(text, `programs/${file}`);
      expect(r.ok ? [] : r.issues.map(formatProgramIssue)).toEqual([]);
      if (r.ok) expect(r.program.id).toBe(file.replace('.yaml', ''));
    });
  }
});

describe('30-day previews for a matching member', () => {
  it('hypertension self-monitoring: reminder on day 4 after the last reading, red flag at once, escalation, weekly summaries', () => {
    const { entries, lines } = preview('hypertension-self-monitoring', 'hypertension-member');
    expect(lines).toEqual([
      // 3 h after the morning dose (08:00) a BP check.
      'D1 11:00 message post-dose-message sent',
      'D1 11:00 member-task post-dose-measure',
      // Last reading D1 07:30 → 3 days later; quiet hours until 08:00 hold the message back.
      'D4 07:30 message bp-reminder-message deferred:quiet-hours',
      'D4 07:30 member-task measure-bp',
      'D4 08:00 message bp-reminder-message sent',
      // The reading completes the task; the reward follows at once.
      'D4 12:00 task-completed measure-bp',
      'D4 12:00 message reading-thanks sent',
      'D7 12:00 message bp-reminder-message sent',
      'D7 12:00 member-task measure-bp',
      'D7 19:00 message summary-above-home-reference sent',
      // 186/112: red flag at 07:05 despite quiet hours, urgent task for the manager; no praise.
      'D8 07:05 task-completed measure-bp',
      'D8 07:05 message red-flag-guidance sent',
      'D8 07:05 care-team-task red-flag-manager-task',
      'D8 07:05 skipped bp-task-done',
      'D11 07:15 message bp-reminder-message deferred:quiet-hours',
      'D11 07:15 member-task measure-bp',
      'D11 08:00 message bp-reminder-message sent',
      // 7-day average crosses 160: the doctor reviews.
      'D12 20:00 care-team-task escalation-doctor-task',
      'D12 20:00 message escalation-member-message sent',
      'D14 19:00 message summary-high sent',
      // Silent again: one reminder after 3 days, one more 4 days later, then quiet.
      'D15 20:00 message bp-reminder-message sent',
      'D15 20:00 member-task measure-bp',
      'D19 20:00 message bp-reminder-message sent',
      'D19 20:00 member-task measure-bp',
      'D21 19:00 message summary-high sent',
      'D28 19:00 message summary-high sent',
    ]);
    expect(messageText(entries, 'bp-reminder-message').text.en).toBe(
      "We haven't received a blood pressure reading from you for 3 days. Find a quiet moment today, sit and rest for 5 minutes, then measure — your health manager will see the result.",
    );
    const redFlag = messageText(entries, 'red-flag-guidance');
    expect(redFlag.text['zh-CN']).toContain('186/112 mmHg');
    expect(redFlag.text.en).toContain('call 120 immediately');
    expect(redFlag.delivery).toMatchObject({ action: 'send' });
    const task = entries.find(
      (e) => e.kind === 'care-team-task' && e.stepId === 'red-flag-manager-task',
    );
    expect(task).toMatchObject({ role: 'manager', priority: 'urgent', slaMinutes: 30 });
    expect(messageText(entries, 'reading-thanks').text['zh-CN']).toBe(
      '已收到您的血压记录 150/94 mmHg，积分 +10！规律测量是管好血压的第一步。',
    );
    expect(messageText(entries, 'escalation-member-message').text.en).toContain('(162/99 mmHg)');
  });

  it('diabetes: weekly low-GI lesson as one knowledge point plus three scenarios, glucose checks, red flags', () => {
    const { entries, lines } = preview('diabetes-self-management', 'diabetes-member');
    const lessonDays = lines.filter((l) => l.includes('lesson-'));
    // Monday knowledge, Wednesday diet (before lunch), Friday medication, Saturday exercise.
    expect(lessonDays.slice(0, 4)).toEqual([
      'D1 19:30 message lesson-knowledge-message sent',
      'D3 11:30 message lesson-diet-message sent',
      'D5 19:30 message lesson-medication-message sent',
      'D6 09:00 message lesson-exercise-message sent',
    ]);
    expect(lessonDays).toHaveLength(17); // weeks 1–4 complete, week 5's knowledge point on day 29
    expect(messageText(entries, 'lesson-knowledge-message', 0).text.en).toMatch(
      /^This week: the glycaemic index/,
    );
    expect(messageText(entries, 'lesson-knowledge-message', 1).text.en).toMatch(
      /^This week: whole grains/,
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        'D1 06:45 member-task fasting-check-task',
        'D1 07:00 task-completed fasting-check-task',
        'D2 06:50 message hypo-guidance sent',
        'D2 06:50 care-team-task hypo-manager-task',
        // Last reading D2 07:10 → reminder on D5.
        'D5 07:10 message glucose-reminder-message deferred:quiet-hours',
        'D5 08:00 message glucose-reminder-message sent',
        'D10 07:00 task-completed glucose-reminder-task',
        'D10 07:00 care-team-task escalation-doctor-task',
        'D10 07:00 care-team-task escalation-dietitian-task',
      ]),
    );
    expect(messageText(entries, 'hypo-guidance').text['zh-CN']).toContain('3.5 mmol/L');
  });

  it('pregnancy calendar: the checkup of the gestational week, raised BP to a doctor once a day', () => {
    const { entries, lines } = preview('pregnancy-checkup-calendar', 'pregnancy-member');
    expect(lines).toEqual([
      'D1 09:00 message nt-scan-message sent', // week 11: NT window
      'D1 09:00 member-task nt-scan-task',
      'D16 20:30 care-team-task raised-bp-doctor-task',
      'D16 20:30 message raised-bp-message sent',
      'D16 21:00 skipped raised-bp', // cooldown: one review a day
      'D29 09:00 message serum-screening-message sent', // week 15
      'D29 09:00 member-task serum-screening-task',
    ]);
    expect(messageText(entries, 'raised-bp-message').text['zh-CN']).toContain('142/91 mmHg');
  });

  it('flu vaccination: season start, nearby clinic, stop reminding once vaccinated', () => {
    const { entries, lines } = preview('flu-vaccination-immunocompromised', 'flu-member');
    expect(lines).toEqual([
      'D6 09:30 message flu-season-message sent', // 15 September
      'D6 09:30 care-team-task flu-vaccine-doctor-task',
      'D6 09:30 member-task flu-vaccine-task',
      'D11 15:00 message nearby-message sent',
      'D16 11:00 cancelled stop-season-reminders',
      'D16 11:00 message vaccinated-thanks sent',
      'D16 11:00 goal flu-vaccinated',
      'D26 15:00 skipped near-partner-clinic', // vaccinated this season
    ]);
    expect(messageText(entries, 'nearby-message').text['zh-CN']).toBe(
      '您附近约 2 公里的静安社区卫生服务中心可以接种流感疫苗。如果医生已确认您适合接种，可以在 App 里预约就近接种。',
    );
  });

  it('post-surgery: follow-up days by surgery type, contact window from sleep and steps, fever routed', () => {
    const { entries, lines } = preview('post-surgery-follow-up', 'post-surgery-member');
    expect(lines).toEqual([
      // Short sleep → afternoon; under 1 000 steps → the manager calls.
      'D3 15:00 care-team-task low-activity-call',
      'D3 15:00 message day-3-message sent',
      'D3 15:00 message day-3-signs sent',
      'D3 15:00 member-task day-3-check-in',
      'D4 21:00 care-team-task fever-manager-task',
      'D4 21:00 message fever-message sent',
      // Slept better and walking more by day 7: mid-morning, no call; joint replacement content.
      'D7 10:00 message day-7-orthopaedic sent',
      'D7 10:00 care-team-task day-7-rehab-task',
      'D14 10:00 message day-14-message sent',
      'D14 10:00 member-task day-14-visit-task',
      'D30 10:00 message day-30-message sent',
      'D30 10:00 member-task day-30-visit-task',
    ]);
    expect(messageText(entries, 'fever-message').text.en).toContain('38.7°C');
  });

  it('chemotherapy: nutrition after cycle 1, psychological support after cycle 3, story at 6 months', () => {
    const { lines } = preview('chemotherapy-milestones', 'chemotherapy-member');
    expect(lines).toEqual([
      'D6 10:00 message nutrition-course-message sent',
      'D6 10:00 member-task nutrition-course-task',
      'D6 10:00 care-team-task nutrition-dietitian-task',
      'D6 10:00 goal nutrition-course-offered',
      'D12 22:30 message fever-guidance sent', // red flag: not held for quiet hours
      'D12 22:30 care-team-task fever-manager-task',
      'D19 10:00 message psychological-support-message sent',
      'D19 10:00 care-team-task psychological-support-task',
      'D19 10:00 goal psychological-support-offered',
      'D23 10:00 message story-invitation-message sent', // day 182 since the start of chemotherapy
      'D23 10:00 goal story-invited',
      'D23 10:00 exit goal reached: story_invited',
    ]);
  });

  it('churn rescue: a light touch after 3 silent days, a last note at 10, a call when the model flags risk', () => {
    const { entries, lines } = preview('churn-rescue', 'churn-member');
    expect(lines).toEqual([
      'D4 09:00 message light-touch-hypertension sent',
      'D11 09:00 message back-off-message sent',
      'D11 09:00 care-team-task chronic-check-in-task',
      'D15 10:00 care-team-task personal-call-task',
      'D18 10:00 message light-touch-hypertension sent',
      'D25 10:00 message back-off-message sent',
      'D25 10:00 care-team-task chronic-check-in-task',
    ]);
    expect(messageText(entries, 'light-touch-hypertension').priority).toBe('engagement');
  });

  it('birthday and annual report', () => {
    const { entries, lines } = preview('birthday-and-annual-report', 'birthday-member');
    expect(lines).toEqual([
      'D15 09:00 message birthday-greeting sent',
      'D15 09:00 member-task birthday-gift-task',
      'D20 10:00 message annual-report-message sent',
      'D20 10:00 care-team-task annual-report-manager-task',
      'D20 10:00 member-task annual-report-read-task',
    ]);
    expect(messageText(entries, 'annual-report-message').text.en).toMatch(
      /^It's 1 year\(s\) since you joined!/,
    );
  });

  it('medication reminders: each dose of each active order, never a stopped one, dropped rather than late', () => {
    const { entries, lines } = preview('medication-reminders', 'medication-member');
    const day1 = entries.filter((e) => e.kind === 'message' && e.day === 1) as Extract<
      PreviewEntry,
      { kind: 'message' }
    >[];
    expect(day1.map((m) => m.text['zh-CN'])).toEqual([
      '该服药了：氨氯地平片（5 mg，每日一次）。服完点一下「已服用」，方便医生了解您的用药情况。',
      '该服药了：二甲双胍片（500 mg，随餐）。服完点一下「已服用」，方便医生了解您的用药情况。',
      '该服药了：二甲双胍片（500 mg，随餐）。服完点一下「已服用」，方便医生了解您的用药情况。',
    ]);
    expect(entries.some((e) => e.kind === 'message' && e.text['zh-CN'].includes('卡托普利'))).toBe(
      false,
    );
    // The 4th message of day 10 (after the doctor updated the orders) waits for the cap, and a dose
    // reminder held until the next morning is dropped instead.
    expect(lines).toEqual(
      expect.arrayContaining([
        'D6 10:00 care-team-task adherence-manager-task',
        'D10 16:00 message orders-updated-message sent',
        'D10 18:30 message dose-reminder-message deferred:daily-cap',
        'D10 18:30 expired dose-reminder-message',
      ]),
    );
    // 30 days × 3 doses: 68 on time, 22 held back (cap, silent-member backoff) and dropped, none late.
    expect(lines.filter((l) => l.endsWith('dose-reminder-message sent'))).toHaveLength(68);
    expect(lines.filter((l) => l.endsWith('expired dose-reminder-message'))).toHaveLength(22);
    expect(entries.some((e) => e.kind === 'message' && e.retry)).toBe(false);
  });
});
