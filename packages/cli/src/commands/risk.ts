import type { CliCommand, CliIo } from '../io.ts';
// The core barrel will re-export risk; until then the risk barrel is imported directly.
import { isRiskRejection, riskModels, type RiskModel } from '@careloop/core';

/** Bad usage, bad JSON and rejected inputs all exit 2 with the reason on stderr. */
const usageError = 2;

const usage = (): string =>
  [
    "usage: careloop risk <model> --json '<inputs>'",
    '       careloop risk <model> --help     (the model’s input fields)',
    '',
    'Prints one JSON object: model, value, unit, band, bandLabel, inputsUsed, missing, citation, notes.',
    'A number may be given with its unit and provenance: {"value": 210, "unit": "mg/dL", "source": "obs-1"}.',
    '',
    'models:',
    ...Object.values(riskModels).map((m) => `  ${m.id.padEnd(16)} ${m.describe}`),
    '',
  ].join('\n');

const modelHelp = (model: RiskModel): string =>
  [
    `careloop risk ${model.id} --json '<inputs>'`,
    model.describe,
    '',
    'fields:',
    ...Object.entries(model.inputs).map(([name, s]) => {
      const kind =
        s.type === 'enum'
          ? (s.values ?? []).join('|')
          : s.type === 'number'
            ? `number${s.unit ? ` (${s.unit})` : ''}`
            : 'true|false';
      return `  ${name.padEnd(22)} ${kind.padEnd(22)} ${s.required ? 'required' : 'optional'}  ${s.doc}`;
    }),
    '',
  ].join('\n');

function fail(io: CliIo, message: string): number {
  io.stderr(`careloop risk: ${message}\n`);
  return usageError;
}

/** `careloop risk <model> --json '<inputs>'`: computes one risk score and prints it as JSON. */
export const run: CliCommand = async (argv, io) => {
  const [modelId, ...rest] = argv;
  if (modelId === undefined || modelId === '--help' || modelId === '-h') {
    io.stderr(usage());
    return usageError;
  }
  const model = riskModels[modelId];
  if (!model)
    return fail(
      io,
      `unknown model '${modelId}'; expected one of ${Object.keys(riskModels).join(', ')}`,
    );
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stderr(modelHelp(model));
    return usageError;
  }

  let json: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === '--json') {
      json = rest[++i];
      if (json === undefined) return fail(io, '--json needs a value');
    } else if (arg.startsWith('--json=')) {
      json = arg.slice('--json='.length);
    } else {
      return fail(
        io,
        `unexpected argument '${arg}'; usage: careloop risk ${model.id} --json '<inputs>'`,
      );
    }
  }
  if (json === undefined)
    return fail(io, `missing --json '<inputs>'; see careloop risk ${model.id} --help`);

  let input: unknown;
  try {
    input = JSON.parse(json);
  } catch (e) {
    return fail(io, `invalid JSON in --json: ${(e as Error).message}`);
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail(io, '--json must be a JSON object of field → value');
  }

  const outcome = model.compute(input as Record<string, unknown>);
  if (isRiskRejection(outcome)) {
    const lines = outcome.issues.map(
      (issue) => `careloop risk ${model.id}: ${issue.path || '(input)'}: ${issue.message}`,
    );
    io.stderr(`${lines.join('\n')}\n`);
    return usageError;
  }
  // Fixed key order so the answer reads first; undefined keys (no message, no label) drop out.
  const {
    model: id,
    value,
    unit,
    band,
    bandLabel,
    missing,
    message,
    inputsUsed,
    citation,
    notes,
  } = outcome;
  const ordered = {
    model: id,
    value,
    unit,
    band,
    bandLabel,
    missing,
    message,
    inputsUsed,
    citation,
    notes,
  };
  io.stdout(`${JSON.stringify(ordered)}\n`);
  return 0;
};
