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
  ingestBatches,
  ingestStream,
  mergeReports,
  migrate,
  openDb,
  ProgramRegistry,
  systemClock,
  type Db,
  type IngestBatch,
  type IngestContext,
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

type Prepared =
  | { kind: 'result'; result: FileResult }
  | { kind: 'batch'; format: string; batch: IngestBatch }
  | { kind: 'stream' };

/** Reads and parses one JSON file into a batch, or says what it is instead. */
function prepareFile(
  file: string,
  opts: { member?: string | undefined; schema?: string | undefined },
): Prepared {
  if (statSync(file).size === 0)
    return {
      kind: 'result',
      result: { file, format: 'empty', report: emptyReport(), empty: true },
    };
  const format = detectFormat(head(file));
  if (format === 'apple-health-xml') return { kind: 'stream' };
  const failed = (error: string): Prepared => ({
    kind: 'result',
    result: { file, format, report: emptyReport(), error },
  });
  if (format !== 'fhir-bundle' && format !== 'fhir-resource' && format !== 'openmhealth')
    return failed(
      'unrecognised format: expected a FHIR Bundle or resource, Open mHealth data point(s) or an Apple Health export.xml',
    );
  let body: unknown;
  try {
    body = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return failed(`not valid JSON: ${(err as Error).message}`);
  }
  if (format === 'fhir-bundle') {
    const parsed = parseFhirBundle(body, { sourceSystem: 'fhir' });
    if (parsed.bundleIssues.length > 0) {
      const report = emptyReport();
      report.rejected.push({ ref: 'Bundle', issues: parsed.bundleIssues });
      return { kind: 'result', result: { file, format, report } };
    }
    return {
      kind: 'batch',
      format,
      batch: { items: parsed.items, opts: { atomic: parsed.bundleType === 'transaction' } },
    };
  }
  if (format === 'fhir-resource')
    return { kind: 'batch', format, batch: { items: parseFhirResource(body, 'resource') } };
  if (!opts.member) return failed('Open mHealth data points need --member <member>');
  return {
    kind: 'batch',
    format,
    batch: {
      items: parseOpenMHealth(body, {
        memberRef: opts.member,
        ref: relative(process.cwd(), file),
        ...(opts.schema ? { schema: opts.schema } : {}),
        // Old schema versions let a body omit its time: it is then the time of import.
        receivedAt: new Date().toISOString(),
      }),
    },
  };
}

/**
 * Imports files into db; the reusable core of the command (tests and the benchmark call it).
 * JSON files go through ingestBatches, so consecutive bundles share transactions (decision 0008);
 * each file keeps its own report, and files are reported in the order given.
 */
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
  const ctx = { db, clock: systemClock, care: opts.care };
  const results: (FileResult | undefined)[] = new Array<FileResult | undefined>(files.length);
  let told = 0;
  const settle = (i: number, r: FileResult) => {
    results[i] = r;
    for (let next = results[told]; next !== undefined; next = results[told]) {
      opts.onFile?.(next, told);
      told++;
    }
  };

  let next = 0;
  // Where the last run of JSON files stopped because it met an Apple Health export.
  let streamAt = -1;
  while (next < files.length) {
    if (streamAt === next) {
      settle(next, await importAppleHealth(ctx, files[next]!, opts));
      next++;
      continue;
    }
    // A run of JSON files up to the next Apple Health export, parsed as ingestBatches asks for them.
    const batchFiles: { index: number; format: string }[] = [];
    const batches = function* (): Generator<IngestBatch> {
      for (; next < files.length; next++) {
        const prepared = prepareFile(files[next]!, opts);
        if (prepared.kind === 'stream') {
          streamAt = next;
          return;
        }
        if (prepared.kind === 'result') settle(next, prepared.result);
        else {
          batchFiles.push({ index: next, format: prepared.format });
          yield prepared.batch;
        }
      }
    };
    try {
      await ingestBatches(ctx, batches(), {
        onReport: (report, b) => {
          const { index, format } = batchFiles[b]!;
          settle(index, { file: files[index]!, format, report });
        },
      });
    } catch (err) {
      // A database failure: the files of this run not yet stored are reported with it; the import
      // goes on with the files after them.
      for (const { index, format } of batchFiles)
        if (results[index] === undefined)
          settle(index, {
            file: files[index]!,
            format,
            report: emptyReport(),
            error: (err as Error).message,
          });
      const last = batchFiles[batchFiles.length - 1];
      if (last && next <= last.index) next = last.index + 1;
    }
  }
  return results as FileResult[];
}

async function importAppleHealth(
  ctx: IngestContext,
  file: string,
  opts: { member?: string | undefined; onItems?: (n: number) => void },
): Promise<FileResult> {
  const format = 'apple-health-xml';
  try {
    if (!opts.member) throw new Error('an Apple Health export needs --member <member>');
    const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
    const report = await ingestStream(
      ctx,
      parseAppleHealthExport(stream, { memberRef: opts.member }),
      {
        onProgress: (r) => opts.onItems?.(r.received),
      },
    );
    return { file, format, report };
  } catch (err) {
    return { file, format, report: emptyReport(), error: (err as Error).message };
  }
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
