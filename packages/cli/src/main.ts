#!/usr/bin/env node
import { processIo, type CliCommand } from './io.ts';

/** Sub-commands, loaded on demand so `careloop risk` does not start a database. */
const commands: Record<string, { summary: string; load: () => Promise<{ run: CliCommand }> }> = {
  serve: {
    summary: 'start the API, web app and workers (http://localhost:3000)',
    load: () => import('./commands/serve.ts'),
  },
  migrate: { summary: 'apply database migrations', load: () => import('./commands/migrate.ts') },
  import: {
    summary: 'import FHIR bundles, Open mHealth JSON, Apple Health export.xml',
    load: () => import('./commands/import.ts'),
  },
  risk: {
    summary: 'compute a risk score: careloop risk <model> --json <inputs>',
    load: () => import('./commands/risk.ts'),
  },
  profile: {
    summary: "show a member's profile with evidence, or rebuild every profile",
    load: () => import('./commands/profile.ts'),
  },
  report: {
    summary: 'interpret a checkup report (FHIR, CSV or JSON table)',
    load: () => import('./commands/report.ts'),
  },
  eval: {
    summary: "eval synthea <folder>: derived tags against the bundles' Conditions",
    load: () => import('./commands/evalSynthea.ts'),
  },
  worker: {
    summary: 'a scheduler/dispatcher process on PostgreSQL (run several)',
    load: () => import('./commands/worker.ts'),
  },
  program: {
    summary: 'validate or preview care programs',
    load: () => import('./commands/program.ts'),
  },
  bench: {
    summary: 'run the benchmarks (same as npm run bench)',
    load: () => import('./commands/bench.ts'),
  },
};

export function registerCommand(
  name: string,
  summary: string,
  load: () => Promise<{ run: CliCommand }>,
): void {
  commands[name] = { summary, load };
}

export function commandNames(): string[] {
  return Object.keys(commands);
}

function usage(): string {
  return `careloop <command> [options]\n\n${Object.entries(commands)
    .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
    .join('\n')}\n\nRun careloop <command> --help for its options.\n`;
}

export async function main(argv: string[]): Promise<number> {
  const io = processIo();
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`careloop: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const { run } = await command.load();
  return run(rest, io);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(
        `careloop: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
