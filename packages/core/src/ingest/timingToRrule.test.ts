import * as rruleModule from 'rrule';
import { describe, expect, it } from 'vitest';
import { timingToRrule } from './timingToRrule.ts';

const { RRule } =
  (rruleModule as unknown as { default?: typeof rruleModule }).default ?? rruleModule;

const rule = (timing: unknown): string | null => {
  const result = timingToRrule(timing, 'timing');
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.rrule;
};

/** The first occurrences of a rule from a start, as ISO strings (rrule treats dates as UTC). */
const firstOccurrences = (rrule: string, start: string, n: number): string[] =>
  new RRule({ ...RRule.parseString(rrule), dtstart: new Date(start) })
    .all((_, i) => i < n)
    .map((d) => d.toISOString());

describe('timingToRrule', () => {
  it('times of day become BYHOUR/BYMINUTE, and rrule expands them to the right doses', () => {
    const rrule = rule({
      repeat: { frequency: 2, period: 1, periodUnit: 'd', timeOfDay: ['08:00:00', '20:00:00'] },
    });
    expect(rrule).toBe('FREQ=DAILY;BYHOUR=8,20;BYMINUTE=0');
    expect(firstOccurrences(rrule ?? '', '2024-01-01T00:00:00Z', 3)).toEqual([
      '2024-01-01T08:00:00.000Z',
      '2024-01-01T20:00:00.000Z',
      '2024-01-02T08:00:00.000Z',
    ]);
  });

  it('three times a day without times gets the documented default dose times, with a warning', () => {
    const result = timingToRrule({ repeat: { frequency: 3, period: 1, periodUnit: 'd' } }, 't');
    expect(result).toEqual({
      ok: true,
      rrule: 'FREQ=DAILY;BYHOUR=8,14,20;BYMINUTE=0',
      warnings: [{ path: 't', message: 'no dose times given: assumed 08:00, 14:00, 20:00' }],
    });
  });

  it('every other day, weekly on named days, every 6 hours, monthly', () => {
    expect(
      rule({ repeat: { frequency: 1, period: 2, periodUnit: 'd', timeOfDay: ['07:30:00'] } }),
    ).toBe('FREQ=DAILY;INTERVAL=2;BYHOUR=7;BYMINUTE=30');
    expect(
      rule({
        repeat: {
          frequency: 2,
          period: 1,
          periodUnit: 'wk',
          dayOfWeek: ['mon', 'thu'],
          timeOfDay: ['09:00:00'],
        },
      }),
    ).toBe('FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=9;BYMINUTE=0');
    expect(rule({ repeat: { frequency: 1, period: 6, periodUnit: 'h' } })).toBe(
      'FREQ=HOURLY;INTERVAL=6',
    );
    expect(rule({ repeat: { frequency: 3, period: 1, periodUnit: 'h' } })).toBe(
      'FREQ=MINUTELY;INTERVAL=20',
    );
    expect(
      rule({ repeat: { frequency: 1, period: 1, periodUnit: 'mo', timeOfDay: ['10:00:00'] } }),
    ).toBe('FREQ=MONTHLY;BYHOUR=10;BYMINUTE=0');
  });

  it('reads event timings and HL7 abbreviation codes', () => {
    expect(
      rule({ repeat: { frequency: 2, period: 1, periodUnit: 'd', when: ['MORN', 'HS'] } }),
    ).toBe('FREQ=DAILY;BYHOUR=8,21;BYMINUTE=0');
    expect(
      rule({
        code: {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation', code: 'Q8H' },
          ],
        },
      }),
    ).toBe('FREQ=HOURLY;INTERVAL=8');
    expect(rule({ code: { coding: [{ code: 'QOD' }] } })).toBe(
      'FREQ=DAILY;INTERVAL=2;BYHOUR=8;BYMINUTE=0',
    );
  });

  it('carries count and the end of boundsPeriod as COUNT and UNTIL', () => {
    const rrule = rule({
      repeat: { frequency: 1, period: 1, periodUnit: 'd', timeOfDay: ['08:00:00'], count: 14 },
    });
    expect(rrule).toBe('FREQ=DAILY;BYHOUR=8;BYMINUTE=0;COUNT=14');
    expect(firstOccurrences(rrule ?? '', '2024-01-01T00:00:00Z', 100)).toHaveLength(14);
    const bounded = rule({
      repeat: {
        frequency: 1,
        period: 1,
        periodUnit: 'd',
        timeOfDay: ['08:00:00'],
        boundsPeriod: { start: '2024-01-01', end: '2024-01-03T23:59:59Z' },
      },
    });
    expect(bounded).toBe('FREQ=DAILY;BYHOUR=8;BYMINUTE=0;UNTIL=20240103T235959Z');
    expect(firstOccurrences(bounded ?? '', '2024-01-01T00:00:00Z', 100)).toHaveLength(3);
  });

  it('gives no schedule, with the reason, for timings no single RRULE expresses', () => {
    const cases: [unknown, string][] = [
      [
        { repeat: { frequency: 3, period: 1, periodUnit: 'wk' } },
        '3 times per week on unnamed days',
      ],
      [
        {
          repeat: { frequency: 2, period: 1, periodUnit: 'd', timeOfDay: ['08:30:00', '20:00:00'] },
        },
        'dose times 08:30, 20:00 do not fit one rule',
      ],
      [
        { repeat: { frequency: 1, period: 30, periodUnit: 's' } },
        "period unit 's' is not a medication schedule",
      ],
      [
        { code: { text: 'as directed' } },
        'timing has no repeat and no known abbreviation code (BID, TID, Q6H…)',
      ],
    ];
    for (const [timing, reason] of cases) {
      const result = timingToRrule(timing, 'timing');
      expect(result).toEqual({
        ok: true,
        rrule: null,
        warnings: [{ path: 'timing', message: `${reason}: stored without a reminder schedule` }],
      });
    }
  });

  it('rejects structurally wrong timings with field paths', () => {
    const result = timingToRrule(
      {
        repeat: {
          frequency: 1.5,
          period: 0,
          periodUnit: 'day',
          dayOfWeek: ['monday'],
          timeOfDay: ['8am'],
        },
      },
      'd[0].timing',
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((i) => i.path)).toEqual([
      'd[0].timing.repeat.frequency',
      'd[0].timing.repeat.period',
      'd[0].timing.repeat.periodUnit',
      'd[0].timing.repeat.dayOfWeek[0]',
      'd[0].timing.repeat.timeOfDay[0]',
    ]);
    expect(timingToRrule('daily', 'x')).toEqual({
      ok: false,
      issues: [{ path: 'x', message: 'timing must be an object' }],
    });
  });

  it('no timing is no schedule, without complaint', () => {
    expect(timingToRrule(undefined, 't')).toEqual({ ok: true, rrule: null, warnings: [] });
  });
});
