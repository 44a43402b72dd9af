import {
  createReadStream,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  openSync,
  readSync,
  closeSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import {
  detectFormat,
  parseAppleHealthExport,
  parseFhirBundle,
  parseFhirResource,
  parseOpenMHealth,
} from '@careloop/core';
import {
  CareEngine,
  emptyReport,
  ingestItems,
  ingestStream,
  mergeReports,
  migrate,
  openDb,
  ProgramRegistry,
  systemClock,
  type Db,
  type IngestReport,
} from '@careloop/server';
import type { CliCommand, CliIo } from '../io.ts';
import { repoRoot } from '../repoRoot.ts';

const usage = `careloop import <file|folder>... [--member <member id or external ref>] [--schema <omh schema>] [--json] [--max-errors N]
  Imports FHIR R4 Bundles (.json), Open mHealth data points (.json, needs --member) and Apple Health
  export.xml (streamed, needs --member). --schema names the Open mHealth schema of bare bodies
  (e.g. blood-pressure). Every item is validated; the summary lists what was accepted,
  what was a duplicate (re-importing adds nothing) and what was rejected, with reasons.
  Database: DATABASE_URL, or the embedded one in ./.careloop/pgdata.
`;

function listFiles(path: string): string[] {
  const st = statSync(path);
  if (st.isFile()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => (name.startsWith('.') ? [] : listFiles(join(path, name))))
    .filter((f) => /\.(json|xml)$/i.test(f));
}

function head(file: string, bytes = 4096): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

export interface FileResult {
  file: string;
  format: string;
  report: IngestReport;
  error?: string;
  /** A zero-byte file: nothing to import, reported but not an error. */
  empty?: boolean;
}

/** Imports files into db; the reusable core of the command (tests and the benchmark call it). */
export async function importFiles(
  db: Db,
  files: readonly string[],
  opts: {
    member?: string | undefined;
    /** Open mHealth schema of bare bodies (e.g. blood-pressure). */
    schema?: string | undefined;
    care?: CareEngine | undefined;
    onFile?: (r: FileResult, i: number) => void;
    onItems?: (n: number) => void;
  },
): Promise<FileResult[]> {
  const results: FileResult[] = [];
  const ctx = { db, clock: systemClock, care: opts.care };
  for (const [i, file] of files.entries()) {
    if (statSync(file).size === 0) {
      const empty: FileResult = { file, format: 'empty', report: emptyReport(), empty: true };
      results.push(empty);
      opts.onFile?.(empty, i);
      continue;
    }
    const format = detectFormat(head(file));
    let result: FileResult;
    try {
      if (format === 'apple-health-xml') {
        if (!opts.member) throw new Error('an Apple Health export needs --member <member>');
        const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
        const report = await ingestStream(
          ctx,
          parseAppleHealthExport(stream, { memberRef: opts.member }),
          {
            onProgress: (r) => opts.onItems?.(r.received),
          },
        );
        result = { file, format, report };
      } else if (
        format === 'fhir-bundle' ||
        format === 'fhir-resource' ||
        format === 'openmhealth'
      ) {
        let body: unknown;
        try {
          body = JSON.parse(readFileSync(file, 'utf8'));
        } catch (err) {
          throw new Error(`not valid JSON: ${(err as Error).message}`);
        }
        if (format === 'fhir-bundle') {
          const parsed = parseFhirBundle(body, { sourceSystem: 'fhir' });
          if (parsed.bundleIssues.length > 0) {
            const report = emptyReport();
            report.rejected.push({ ref: 'Bundle', issues: parsed.bundleIssues });
            result = { file, format, report };
          } else {
            result = {
              file,
              format,
              report: await ingestItems(ctx, parsed.items, {
                atomic: parsed.bundleType === 'transaction',
              }),
            };
          }
        } else if (format === 'fhir-resource') {
          result = {
            file,
            format,
            report: await ingestItems(ctx, parseFhirResource(body, 'resource')),
          };
        } else {
          if (!opts.member) throw new Error('Open mHealth data points need --member <member>');
          result = {
            file,
            format,
            report: await ingestItems(
              ctx,
              parseOpenMHealth(body, {
                memberRef: opts.member,
                ref: relative(process.cwd(), file),
                ...(opts.schema ? { schema: opts.schema } : {}),
                // Old schema versions let a body omit its time: it is then the time of import.
                receivedAt: new Date().toISOString(),
              }),
            ),
          };
        }
      } else {
        throw new Error(
          'unrecognised format: expected a FHIR Bundle or resource, Open mHealth data point(s) or an Apple Health export.xml',
        );
      }
    } catch (err) {
      const report = emptyReport();
      result = { file, format, report, error: (err as Error).message };
    }
    results.push(result);
    opts.onFile?.(result, i);
  }
  return results;
}

export function printSummary(
  io: CliIo,
  results: readonly FileResult[],
  maxErrors: number,
): IngestReport {
  const total = results.reduce((acc, r) => mergeReports(acc, r.report), emptyReport());
  const failedFiles = results.filter((r) => r.error);
  io.stdout(
    `\nImported ${results.length - results.filter((r) => r.empty).length} file(s) (${results.filter((r) => r.empty).length} empty): ${total.received} items\n` +
      `  accepted:   ${total.accepted.members} members, ${total.accepted.observations} observations, ${total.accepted.conditions} conditions, ${total.accepted.medications} medications\n` +
      `  duplicates: ${total.duplicates} (already stored; nothing added)\n` +
      `  rejected:   ${total.rejected.length}\n` +
      `  skipped:    ${total.skipped.count} (not kept by CareLoop)\n`,
  );
  const types = Object.entries(total.byType).sort(
    (a, b) => b[1].accepted + b[1].duplicates - (a[1].accepted + a[1].duplicates),
  );
  if (types.length > 0) {
    io.stdout('  per type (accepted / duplicates / rejected / skipped):\n');
    for (const [t, c] of types.slice(0, 40))
      io.stdout(
        `    ${t.padEnd(48)} ${c.accepted} / ${c.duplicates} / ${c.rejected} / ${c.skipped}\n`,
      );
  }
  const reasons = Object.entries(total.skipped.byReason).sort((a, b) => b[1] - a[1]);
  if (reasons.length > 0) {
    io.stdout('  skipped because:\n');
    for (const [r, n] of reasons.slice(0, 10)) io.stdout(`    ${n} × ${r}\n`);
  }
  for (const f of results.filter((r) => r.empty))
    io.stdout(`  - ${f.file}: empty file (0 bytes), nothing to import\n`);
  for (const f of failedFiles) io.stdout(`  ✗ ${f.file}: ${f.error}\n`);
  const rolledBack = results.filter((r) => r.report.rolledBack);
  for (const r of rolledBack)
    io.stdout(
      `  ✗ ${r.file}: transaction rolled back (nothing stored) because of the rejected entries below\n`,
    );
  for (const r of results) {
    for (const rej of r.report.rejected.slice(0, maxErrors)) {
      io.stdout(
        `  rejected ${r.file} ${rej.ref}: ${rej.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}\n`,
      );
    }
    if (r.report.rejected.length > maxErrors)
      io.stdout(
        `  … and ${r.report.rejected.length - maxErrors} more in ${r.file} (use --json for all)\n`,
      );
  }
  return total;
}

export const run: CliCommand = async (argv, io) => {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        member: { type: 'string' },
        schema: { type: 'string' },
        json: { type: 'boolean' },
        'max-errors': { type: 'string' },
        help: { type: 'boolean' },
      },
    });
  } catch (err) {
    io.stderr(`careloop import: ${(err as Error).message}\n${usage}`);
    return 2;
  }
  if (args.values.help) {
    io.stdout(usage);
    return 0;
  }
  if (args.positionals.length === 0) {
    io.stderr(`careloop import: give at least one file or folder\n${usage}`);
    return 2;
  }
  const maxErrors = Number(args.values['max-errors'] ?? 20);
  if (!Number.isInteger(maxErrors) || maxErrors < 0) {
    io.stderr(
      `careloop import: --max-errors must be a whole number, got '${args.values['max-errors']}'\n`,
    );
    return 2;
  }
  const files: string[] = [];
  for (const p of args.positionals) {
    const path = resolve(io.cwd, p);
    if (!existsSync(path)) {
      io.stderr(`careloop import: no such file or folder: ${p}\n`);
      return 2;
    }
    files.push(...listFiles(path));
  }
  if (files.length === 0) {
    io.stderr('careloop import: no .json or .xml files found\n');
    return 2;
  }
  const db = await openDb({
    databaseUrl: io.env.DATABASE_URL,
    dataDir: resolve(io.cwd, io.env.CARELOOP_DATA_DIR || '.careloop', 'pgdata'),
  });
  try {
    await migrate(db);
    const registry = new ProgramRegistry();
    registry.loadDirectory(resolve(repoRoot, 'programs'));
    const care = new CareEngine({ registry });
    const bar = new cliProgress.SingleBar(
      {
        format: 'importing [{bar}] {value}/{total} files | {file}',
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    if (!args.values.json) bar.start(files.length, 0, { file: '' });
    const results = await importFiles(db, files, {
      member: args.values.member,
      schema: args.values.schema,
      care,
      onFile: (r, i) => bar.update(i + 1, { file: relative(io.cwd, r.file) }),
    });
    bar.stop();
    if (args.values.json) {
      const total = results.reduce((acc, r) => mergeReports(acc, r.report), emptyReport());
      io.stdout(
        JSON.stringify(
          {
            total,
            files: results.map((r) => ({
              file: r.file,
              format: r.format,
              error: r.error ?? null,
              report: r.report,
            })),
          },
          null,
          2,
        ) + '\n',
      );
      return results.some((r) => r.error) ? 1 : 0;
    }
    printSummary(io, results, maxErrors);
    return results.some((r) => r.error) ? 1 : 0;
  } finally {
    await db.close();
  }
};
