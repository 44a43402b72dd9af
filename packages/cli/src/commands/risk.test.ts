import { describe, expect, it } from 'vitest';
import type { CliIo } from '../io.ts';
import { run } from './risk.ts';

function capture(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: (t) => void (out += t), stderr: (t) => void (err += t), cwd: '/tmp', env: {} },
    out: () => out,
    err: () => err,
  };
}

async function risk(...argv: string[]) {
  const c = capture();
  const code = await run(argv, c.io);
  return { code, out: c.out(), err: c.err() };
}

describe('careloop risk', () => {
  // Yang X et al., Circulation 2016;134:1430–1440, Table 2: man aged 60 with the worked profile → 11.0 %.
  it('prints exactly one JSON object for china-par', async () => {
    const inputs = {
      age: 60,
      sex: 'male',
      sbp: { value: 130, source: 'obs-sbp-1' },
      bpTreated: false,
      tc: { value: 210, unit: 'mg/dL' },
      hdl: { value: 55, unit: 'mg/dL' },
      waist: 80,
      diabetes: true,
      smoker: false,
      region: 'north',
      residence: 'urban',
      familyHistoryAscvd: false,
    };
    const { code, out, err } = await risk('china-par', '--json', JSON.stringify(inputs));
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out.trim().split('\n')).toHaveLength(1);
    const printed = JSON.parse(out);
    expect(printed).toMatchObject({
      model: 'china-par',
      value: 11,
      unit: '%',
      band: 'high',
      missing: [],
    });
    expect(printed.inputsUsed.sbp).toEqual({ value: 130, unit: 'mmHg', source: 'obs-sbp-1' });
  });

  // Inker LA et al., NEJM 2021: woman 50, Scr 0.6 mg/dL → 109.
  it('accepts --json=… and reports ckd-epi-2021', async () => {
    const { code, out } = await risk(
      'ckd-epi-2021',
      `--json=${JSON.stringify({ age: 50, sex: 'female', creatinine: { value: 0.6, unit: 'mg/dL' } })}`,
    );
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ value: 109, unit: 'mL/min/1.73m2', band: 'G1' });
  });

  it('prints missing inputs as data, not as an error', async () => {
    const { code, out } = await risk('findrisc', '--json', '{"age": 50, "sex": "female"}');
    expect(code).toBe(0);
    const printed = JSON.parse(out);
    expect(printed.value).toBeNull();
    expect(printed.missing).toContain('bmi');
    expect(printed.message).toMatch(/^insufficient data: missing bmi/);
  });

  it('--help lists the models on stderr with exit code 2', async () => {
    const { code, out, err } = await risk('--help');
    expect(code).toBe(2);
    expect(out).toBe('');
    for (const id of ['china-par', 'framingham-2008', 'findrisc', 'cdrs', 'ckd-epi-2021'])
      expect(err).toContain(id);
  });

  it('<model> --help lists its fields', async () => {
    const { code, err } = await risk('cdrs', '--help');
    expect(code).toBe(2);
    expect(err).toMatch(/familyHistoryDiabetes\s+true\|false\s+required/);
    expect(err).toMatch(/sex\s+male\|female/);
  });

  it.each([
    [['nope', '--json', '{}'], /unknown model 'nope'/],
    [['cdrs'], /missing --json/],
    [['cdrs', '--json'], /--json needs a value/],
    [['cdrs', '--json', '{age: 1}'], /invalid JSON in --json/],
    [['cdrs', '--json', '[1]'], /must be a JSON object/],
    [['cdrs', '--jsn', '{}'], /unexpected argument '--jsn'/],
  ])('%j → error on stderr, exit 2', async (argv, message) => {
    const { code, out, err } = await risk(...argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
  });

  it('names each invalid field on stderr', async () => {
    const { code, out, err } = await risk(
      'cdrs',
      '--json',
      '{"age": 90, "sex": "x", "waist": 80, "bmi": 24, "sbp": 120, "familyHistoryDiabetes": false}',
    );
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/cdrs: age: 90 years is outside 20–74 years/);
    expect(err).toMatch(/cdrs: sex: must be one of male, female/);
  });
});
