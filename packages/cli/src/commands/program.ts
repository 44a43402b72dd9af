import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { DateTime } from 'luxon';
import type { CliCommand, CliIo } from '../io.ts';
// The core barrel will re-export programs; until then the programs barrel is imported directly.
import {
  formatProgramIssue,
  parseProgram,
  previewProgram,
  seededPreviewRandom,
  type CareProgram,
  type PreviewEntry,
  type PreviewFixture,
} from '@careloop/core';

const usageError = 2;

const usage = (): string =>
  [
    'usage: careloop program validate <file|folder>...',
    '       careloop program preview <file> --member <fixture.json | inline JSON> [options]',
    '',
    'validate   checks program files (YAML) against programs/schema/program.schema.json and the',
    '           semantic rules; prints "OK <file>" or "<file>:<line>:<column>: <path>: <reason>".',
    '           Exit 1 when any file has errors.',
    '',
    'preview    simulates the program for one member, day by day: messages (with the contact',
    "           policy's decision: sent, deferred and why, suppressed and why) and tasks.",
    '  --member   {"member": {"timeZone", "locale", "name"?, "birthDate"?, "medications"?,',
    '              "packages"?, "channelConsent"?}, "facts": {"tag.hypertension": true, …},',
    '              "events"?: [{"kind": "observation", "at", "indicator", "value", "facts"?}, …],',
    '              "places"?: […], "start"?: ISO, "enrolledAt"?: ISO}',
    '  --days N   how many days (default 30)',
    '  --start T  first instant (ISO 8601; default the fixture\'s "start", else today 00:00 local)',
    "  --locale L zh-CN | en (default the member's)",
    '  --seed N   seed for random splits (default 1)',
    '  --no-policy  show what the program asks for, without the contact policy',
    '  --json     print the preview entries as JSON',
    '',
  ].join('\n');

function fail(io: CliIo, message: string): number {
  io.stderr(`careloop program: ${message}\n`);
  return usageError;
}

const isProgramFile = (name: string): boolean => /\.ya?ml$/i.test(name);

/** Every program file under a path: the file itself, or the YAML files of a folder tree. */
async function programFiles(path: string): Promise<string[]> {
  const s = await stat(path);
  if (s.isFile()) return [path];
  const out: string[] = [];
  for (const entry of (await readdir(path, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) out.push(...(await programFiles(full)));
    else if (entry.isFile() && isProgramFile(entry.name)) out.push(full);
  }
  return out;
}

async function validate(args: string[], io: CliIo): Promise<number> {
  if (args.length === 0) return fail(io, 'validate needs a file or folder\n' + usage());
  let failed = 0;
  let count = 0;
  for (const arg of args) {
    const path = resolve(io.cwd, arg);
    let files: string[];
    try {
      files = await programFiles(path);
    } catch (e) {
      io.stderr(`${arg}: ${(e as Error).message}\n`);
      failed++;
      continue;
    }
    for (const file of files) {
      count++;
      const shown = relative(io.cwd, file) || file;
      const result = parseProgram(await readFile(file, 'utf8'), shown);
      if (result.ok) {
        io.stdout(`OK ${shown} (${result.program.key})\n`);
      } else {
        failed++;
        for (const issue of result.issues) io.stdout(`${formatProgramIssue(issue)}\n`);
      }
    }
  }
  if (count === 0) io.stderr('no program files found\n');
  return failed > 0 || count === 0 ? 1 : 0;
}

interface PreviewArgs {
  file: string;
  member: string;
  days: number;
  start: string | null;
  locale: 'zh-CN' | 'en' | null;
  seed: number;
  policy: boolean;
  json: boolean;
}

function parsePreviewArgs(args: string[]): PreviewArgs | string {
  const out: PreviewArgs = {
    file: '',
    member: '',
    days: 30,
    start: null,
    locale: null,
    seed: 1,
    policy: true,
    json: false,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string | null => args[++i] ?? null;
    switch (a) {
      case '--member': {
        const v = value();
        if (v === null) return '--member needs a fixture file or inline JSON';
        out.member = v;
        break;
      }
      case '--days': {
        const v = Number(value());
        if (!Number.isInteger(v) || v < 1 || v > 366) return '--days must be a whole number 1–366';
        out.days = v;
        break;
      }
      case '--start': {
        const v = value();
        if (v === null || Number.isNaN(Date.parse(v)))
          return '--start must be an ISO 8601 date-time';
        out.start = v;
        break;
      }
      case '--locale': {
        const v = value();
        if (v !== 'zh-CN' && v !== 'en') return '--locale must be zh-CN or en';
        out.locale = v;
        break;
      }
      case '--seed': {
        const v = Number(value());
        if (!Number.isInteger(v)) return '--seed must be a whole number';
        out.seed = v;
        break;
      }
      case '--no-policy':
        out.policy = false;
        break;
      case '--json':
        out.json = true;
        break;
      default:
        if (a.startsWith('-')) return `unknown option ${a}`;
        if (out.file !== '') return `unexpected argument ${a}`;
        out.file = a;
    }
  }
  if (out.file === '') return 'preview needs a program file';
  if (out.member === '') return 'preview needs --member';
  return out;
}

type Fixture = PreviewFixture & { start?: string; enrolledAt?: string };

/** Checks the parts of a fixture the preview relies on; returns the problems by path. */
function fixtureProblems(f: unknown): string[] {
  const problems: string[] = [];
  if (typeof f !== 'object' || f === null) return ['the fixture must be a JSON object'];
  const o = f as Record<string, unknown>;
  const m = o.member as Record<string, unknown> | undefined;
  if (typeof m !== 'object' || m === null) problems.push('member: required object');
  else {
    if (typeof m.timeZone !== 'string' || !DateTime.local({ zone: m.timeZone }).isValid) {
      problems.push(`member.timeZone: unknown IANA time zone ${JSON.stringify(m.timeZone)}`);
    }
    if (m.locale !== 'zh-CN' && m.locale !== 'en')
      problems.push('member.locale: must be zh-CN or en');
  }
  if (typeof o.facts !== 'object' || o.facts === null)
    problems.push('facts: required object of fact key → value');
  if (o.events !== undefined) {
    if (!Array.isArray(o.events)) problems.push('events: must be a list');
    else
      o.events.forEach((e: unknown, i) => {
        const ev = e as Record<string, unknown>;
        if (typeof ev !== 'object' || ev === null || typeof ev.kind !== 'string')
          problems.push(`events[${i}].kind: required`);
        else if (typeof ev.at !== 'string' || Number.isNaN(Date.parse(ev.at)))
          problems.push(`events[${i}].at: must be an ISO 8601 instant`);
      });
  }
  for (const key of ['start', 'enrolledAt']) {
    const v = o[key];
    if (v !== undefined && (typeof v !== 'string' || Number.isNaN(Date.parse(v)))) {
      problems.push(`${key}: must be an ISO 8601 instant`);
    }
  }
  return problems;
}

/** Facts may be given as a map or as the profile's list of `{ key, value }`. */
function normaliseFacts(facts: unknown): Record<string, string | number | boolean | null> {
  if (Array.isArray(facts)) {
    return Object.fromEntries(
      facts.map((f: { key: string; value: string | number | boolean | null }) => [f.key, f.value]),
    );
  }
  return facts as Record<string, string | number | boolean | null>;
}

function describeEntry(e: PreviewEntry, locale: 'zh-CN' | 'en', zone: string): string[] {
  const local = (iso: string): string =>
    DateTime.fromISO(iso, { zone }).toFormat('yyyy-MM-dd HH:mm');
  switch (e.kind) {
    case 'message': {
      const d = e.delivery;
      const decision =
        d === null
          ? 'requested (policy off)'
          : d.action === 'send'
            ? `sent${d.note ? ` (${d.note})` : ''}`
            : d.action === 'defer'
              ? `DEFERRED until ${local(d.until)}: ${d.reason} — ${d.detail}`
              : `SUPPRESSED: ${d.reason} — ${d.detail}`;
      return [
        `message  ${e.stepId} [${e.priority} · ${e.purpose} · ${e.channel}]${e.retry ? ' (retry)' : ''} ${decision}`,
        `         ${e.text[locale]}`,
      ];
    }
    case 'member-task':
      return [
        `task     ${e.stepId} · due ${local(e.dueAt)} · ${e.points} points${e.completedBy ? ` · completed by a ${e.completedBy} reading` : ' · ticked off by the member'}`,
        `         ${e.title[locale]}`,
      ];
    case 'task-completed':
      return [`done     ${e.stepId} completed · +${e.points} points`];
    case 'care-team-task':
      return [
        `team     ${e.stepId} → ${e.role} · ${e.priority} · SLA ${e.slaMinutes} min`,
        `         ${e.title[locale]}`,
      ];
    case 'goal':
      return [`goal     ${e.goal} reached (${e.stepId})`];
    case 'cancelled':
      return [`cancel   ${e.stepId}: stopped ${e.flows.join(', ')}`];
    case 'exit':
      return [`exit     ${e.reason}`];
    case 'expired':
      return [
        `expired  ${e.stepId}: dropped — it would go out after it expires at ${local(e.expiresAt)}`,
      ];
    case 'skipped':
      return [`skipped  ${e.triggerId ?? ''} ${e.reason}`.replace(/ {2,}/g, ' ')];
    case 'event': {
      const ev = e.event;
      const what =
        ev.kind === 'observation'
          ? `${ev.indicator} ${ev.value}`
          : ev.kind === 'red-flag'
            ? ev.flag
            : ev.kind === 'task-done'
              ? (ev.stepId ?? '')
              : ev.kind === 'medication-taken'
                ? (ev.medication ?? '')
                : '';
      return [`event    ${ev.kind}${what ? ` ${what}` : ''}`];
    }
  }
}

function renderPreview(
  program: CareProgram,
  entries: PreviewEntry[],
  locale: 'zh-CN' | 'en',
  zone: string,
  header: string,
): string {
  const lines = [header];
  let day = -1;
  for (const e of entries) {
    if (e.day !== day) {
      day = e.day;
      const date = DateTime.fromISO(e.at, { zone }).toFormat('yyyy-MM-dd ccc');
      lines.push('', `Day ${day} · ${date}`);
    }
    const time = DateTime.fromISO(e.at, { zone }).toFormat('HH:mm');
    const [first = '', ...rest] = describeEntry(e, locale, zone);
    lines.push(`  ${time}  ${first}`, ...rest.map((r) => `         ${r}`));
  }
  const messages = entries.filter((e) => e.kind === 'message');
  const count = (action: string): number =>
    messages.filter((m) => m.delivery?.action === action).length;
  lines.push(
    '',
    `${program.key}: ${messages.length} message decisions (sent ${count('send')}, deferred ${count('defer')}, suppressed ${count('suppress')}), ` +
      `${entries.filter((e) => e.kind === 'member-task').length} member tasks, ${entries.filter((e) => e.kind === 'care-team-task').length} care-team tasks`,
    '',
  );
  return lines.join('\n');
}

async function preview(args: string[], io: CliIo): Promise<number> {
  const parsed = parsePreviewArgs(args);
  if (typeof parsed === 'string') return fail(io, `${parsed}\n${usage()}`);
  const file = resolve(io.cwd, parsed.file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return fail(io, `cannot read ${parsed.file}: ${(e as Error).message}`);
  }
  const loaded = parseProgram(text, relative(io.cwd, file) || file);
  if (!loaded.ok) {
    for (const issue of loaded.issues) io.stderr(`${formatProgramIssue(issue)}\n`);
    return 1;
  }
  let fixture: Fixture;
  try {
    const value = parsed.member.trimStart();
    const isFile =
      !value.startsWith('{') &&
      (await stat(resolve(io.cwd, value)).then(
        (s) => s.isFile(),
        () => false,
      ));
    if (value.startsWith('{')) fixture = JSON.parse(value) as Fixture;
    else if (isFile)
      fixture = JSON.parse(await readFile(resolve(io.cwd, value), 'utf8')) as Fixture;
    else {
      // Not JSON and not a file: a member in the database (id or external reference).
      const fromDb = await memberFixture(io, value);
      if (typeof fromDb === 'string') return fail(io, `--member: ${fromDb}`);
      fixture = fromDb;
    }
  } catch (e) {
    return fail(io, `--member: ${(e as Error).message}`);
  }
  const problems = fixtureProblems(fixture);
  if (problems.length > 0) return fail(io, `--member fixture:\n  ${problems.join('\n  ')}`);
  fixture = { ...fixture, facts: normaliseFacts(fixture.facts) };
  const zone = fixture.member.timeZone;
  const startIso = parsed.start ?? fixture.start;
  // Without a given start, "today" is the only clock read, here in the CLI, never in core.
  const start = startIso
    ? new Date(startIso)
    : DateTime.now().setZone(zone).startOf('day').toJSDate();
  const result = previewProgram(loaded.program, fixture, {
    start,
    days: parsed.days,
    ...(fixture.enrolledAt ? { enrolledAt: new Date(fixture.enrolledAt) } : {}),
    random: seededPreviewRandom(parsed.seed),
    applyPolicy: parsed.policy,
  });
  if (!result.eligible) {
    io.stdout(
      `${loaded.program.key}: the member does not meet the entry criteria (${loaded.program.entry.source})\n`,
    );
    return 0;
  }
  if (parsed.json) {
    io.stdout(`${JSON.stringify(result.entries, null, 2)}\n`);
    return 0;
  }
  const locale = parsed.locale ?? fixture.member.locale;
  const header = `${loaded.program.key} · ${loaded.program.title[locale]} · ${parsed.days} days from ${DateTime.fromJSDate(start, { zone }).toFormat('yyyy-MM-dd HH:mm')} (${zone})${parsed.policy ? '' : ' · contact policy OFF'}`;
  io.stdout(renderPreview(loaded.program, result.entries, locale, zone, header));
  return 0;
}

/** `careloop program validate|preview …`. */
export const run: CliCommand = async (argv, io) => {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'validate':
      return validate(rest, io);
    case 'preview':
      return preview(rest, io);
    default:
      io.stderr(usage());
      return usageError;
  }
};

/** A preview fixture from a stored member: their zone, locale, consents, medications and live facts. */
async function memberFixture(io: CliIo, ref: string): Promise<Fixture | string> {
  const { openDb, migrate, loadFacts } = await import('@careloop/server');
  const db = await openDb({
    databaseUrl: io.env.DATABASE_URL,
    dataDir: resolve(io.cwd, io.env.CARELOOP_DATA_DIR || '.careloop', 'pgdata'),
  });
  try {
    await migrate(db);
    const { rows } = await db.query<{
      id: string;
      name: string;
      time_zone: string;
      locale: 'zh-CN' | 'en';
      birth_date: string | null;
      consents: { channels?: Record<string, boolean>; marketing?: boolean };
      quiet_hours: { start: string; end: string } | null;
    }>(
      `SELECT id::text AS id, name, time_zone, locale, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, consents, quiet_hours
         FROM members WHERE id::text = $1 OR external_ref = $1`,
      [ref],
    );
    const m = rows[0];
    if (!m) return `no member '${ref}' in the database (and no such fixture file)`;
    const meds = await db.query<{
      id: string;
      name: string;
      rrule: string | null;
      dosage_text: string | null;
      status: string;
    }>(
      `SELECT id::text AS id, name, rrule, dosage_text, status FROM medications WHERE member_id = $1`,
      [m.id],
    );
    await db.query(
      `INSERT INTO audit_log (at, actor_roles, action, member_id, resource, outcome, reason) VALUES (now(), ARRAY['cli'], 'read:profile', $1, $2, 'permitted', 'careloop program preview (database access)')`,
      [m.id, `member/${m.id}`],
    );
    const facts: Record<string, string | number | boolean | null> = {};
    for (const f of await loadFacts(db, m.id)) facts[f.key] = f.value;
    return {
      member: {
        name: m.name,
        locale: m.locale,
        timeZone: m.time_zone,
        birthDate: m.birth_date,
        medications: meds.rows.map((r) => ({
          id: r.id,
          name: r.name,
          rrule: r.rrule,
          dosageText: r.dosage_text,
          status: r.status,
        })),
        channelConsent: (m.consents.channels ?? { 'in-app': true }) as never,
        marketingConsent: m.consents.marketing ?? false,
        quietHours: m.quiet_hours,
      },
      facts,
    } as Fixture;
  } finally {
    await db.close();
  }
}
