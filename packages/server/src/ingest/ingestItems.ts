import type {
  ConditionInput,
  IngestItemResult,
  MedicationInput,
  MemberInput,
  ObservationInput,
  StoredObservation,
  ValidationIssue,
} from '@careloop/core';
import type { Db, Queryable } from '../db/Db.ts';
import type { Clock } from '../clock.ts';
import { updateProfilesFor } from '../storage/profileStore.ts';
import type { CareEngine } from '../care/careEngine.ts';

export interface RejectedItem {
  ref: string;
  issues: ValidationIssue[];
  sourceType?: string;
}

/** What one ingest did, per item class: the importer's and the API's answer. */
export interface IngestReport {
  received: number;
  accepted: { members: number; observations: number; conditions: number; medications: number };
  duplicates: number;
  rejected: RejectedItem[];
  skipped: { count: number; byReason: Record<string, number> };
  /** Counts per source type (FHIR resource type, Apple Health type, OMH schema). */
  byType: Record<
    string,
    { accepted: number; duplicates: number; rejected: number; skipped: number }
  >;
  /** True when the batch was all-or-nothing (FHIR transaction) and something failed: nothing written. */
  rolledBack: boolean;
  memberIds: string[];
}

export function emptyReport(): IngestReport {
  return {
    received: 0,
    accepted: { members: 0, observations: 0, conditions: 0, medications: 0 },
    duplicates: 0,
    rejected: [],
    skipped: { count: 0, byReason: {} },
    byType: {},
    rolledBack: false,
    memberIds: [],
  };
}

/** Adds b into a (for importers that ingest a large input in chunks). */
export function mergeReports(a: IngestReport, b: IngestReport): IngestReport {
  a.received += b.received;
  a.accepted.members += b.accepted.members;
  a.accepted.observations += b.accepted.observations;
  a.accepted.conditions += b.accepted.conditions;
  a.accepted.medications += b.accepted.medications;
  a.duplicates += b.duplicates;
  a.rejected.push(...b.rejected);
  a.skipped.count += b.skipped.count;
  for (const [k, v] of Object.entries(b.skipped.byReason))
    a.skipped.byReason[k] = (a.skipped.byReason[k] ?? 0) + v;
  for (const [k, v] of Object.entries(b.byType)) {
    const t = (a.byType[k] ??= { accepted: 0, duplicates: 0, rejected: 0, skipped: 0 });
    t.accepted += v.accepted;
    t.duplicates += v.duplicates;
    t.rejected += v.rejected;
    t.skipped += v.skipped;
  }
  a.rolledBack ||= b.rolledBack;
  a.memberIds = [...new Set([...a.memberIds, ...b.memberIds])];
  return a;
}

export interface IngestContext {
  db: Db;
  clock: Clock;
  care?: CareEngine | undefined;
}

export interface IngestOptions {
  /** FHIR transaction semantics: any rejected item rolls the whole batch back. */
  atomic?: boolean;
  /** Only these member ids may receive data (a member uploading their own readings). */
  allowedMemberIds?: readonly string[] | undefined;
  /** Told the outcome of every item by its ref (FHIR answers per entry). */
  onItem?: (ref: string, outcome: ItemOutcome) => void;
}

export type ItemOutcome = 'created' | 'duplicate' | 'rejected' | 'skipped';

class AtomicBatchFailed extends Error {}

interface Located<T> {
  ref: string;
  sourceType: string;
  value: T;
}

const typeOf = (item: IngestItemResult): string =>
  item.sourceType ?? (item.ok ? item.record.kind : 'unknown');

/**
 * Stores a parsed batch in one transaction: members upserted by external reference, observations,
 * conditions and medications inserted idempotently (a repeated idempotency key is a duplicate, not
 * an error), then each touched member's profile updated incrementally and the care engine told.
 */
export async function ingestItems(
  ctx: IngestContext,
  items: readonly IngestItemResult[],
  opts: IngestOptions = {},
): Promise<IngestReport> {
  const report = emptyReport();
  report.received = items.length;
  const count = (
    type: string,
    field: 'accepted' | 'duplicates' | 'rejected' | 'skipped',
    n = 1,
  ) => {
    const t = (report.byType[type] ??= { accepted: 0, duplicates: 0, rejected: 0, skipped: 0 });
    t[field] += n;
  };

  // One FHIR entry is one resource: when part of it is rejected (one half of a BP panel), none of it
  // is stored, so nothing is ever half-written.
  const entryOf = (ref: string): string | null => /^entry\[\d+\]/.exec(ref)?.[0] ?? null;
  const rejectedEntries = new Set(
    items
      .filter((i) => !i.ok && !i.skipped)
      .map((i) => entryOf(i.ref))
      .filter((e): e is string => e !== null),
  );
  const members: Located<MemberInput>[] = [];
  const observations: Located<ObservationInput>[] = [];
  const conditions: Located<ConditionInput>[] = [];
  const medications: Located<MedicationInput>[] = [];
  for (const item of items) {
    const type = typeOf(item);
    if (!item.ok) {
      if (item.skipped) {
        report.skipped.count++;
        const reason = item.issues[0]?.message ?? 'skipped';
        report.skipped.byReason[reason] = (report.skipped.byReason[reason] ?? 0) + 1;
        count(type, 'skipped');
        opts.onItem?.(item.ref, 'skipped');
      } else {
        report.rejected.push({ ref: item.ref, issues: item.issues, sourceType: type });
        count(type, 'rejected');
        opts.onItem?.(item.ref, 'rejected');
      }
      continue;
    }
    const entry = entryOf(item.ref);
    if (entry && rejectedEntries.has(entry)) {
      report.rejected.push({
        ref: item.ref,
        sourceType: type,
        issues: [
          { path: entry, message: 'not stored: another part of the same entry was rejected' },
        ],
      });
      count(type, 'rejected');
      opts.onItem?.(item.ref, 'rejected');
      continue;
    }
    const r = item.record;
    if (r.kind === 'member') members.push({ ref: item.ref, sourceType: type, value: r.value });
    else if (r.kind === 'observation')
      observations.push({ ref: item.ref, sourceType: type, value: r.value });
    else if (r.kind === 'condition')
      conditions.push({ ref: item.ref, sourceType: type, value: r.value });
    else medications.push({ ref: item.ref, sourceType: type, value: r.value });
  }

  if (opts.atomic && report.rejected.length > 0) {
    report.rolledBack = true;
    return report;
  }

  try {
    await ctx.db.transaction(async (tx) => {
      const now = ctx.clock.now();
      const memberIds = await upsertMembers(tx, members, report, count, opts.onItem);
      const refs = new Set<string>();
      for (const x of [...observations, ...conditions, ...medications]) refs.add(x.value.memberRef);
      await resolveMemberRefs(
        tx,
        [...refs].filter((r) => !memberIds.has(r)),
        memberIds,
      );

      const unknownMember = (x: Located<{ memberRef: string }>): boolean => {
        const id = memberIds.get(x.value.memberRef);
        const allowed =
          id !== undefined && (!opts.allowedMemberIds || opts.allowedMemberIds.includes(id));
        if (allowed) return false;
        report.rejected.push({
          ref: x.ref,
          sourceType: x.sourceType,
          issues: [
            {
              path: 'subject',
              message:
                id === undefined
                  ? `member '${x.value.memberRef}' is not known: send the Patient first or in the same bundle`
                  : `not permitted to write data for member '${x.value.memberRef}'`,
            },
          ],
        });
        count(x.sourceType, 'rejected');
        opts.onItem?.(x.ref, 'rejected');
        return true;
      };
      const obs = observations.filter((x) => !unknownMember(x));
      const conds = conditions.filter((x) => !unknownMember(x));
      const meds = medications.filter((x) => !unknownMember(x));
      if (opts.atomic && report.rejected.length > 0) throw new AtomicBatchFailed();

      const newObs = await insertObservations(tx, obs, memberIds, report, count, opts.onItem);
      const newConds = await insertConditions(tx, conds, memberIds, report, count, opts.onItem);
      const newMeds = await insertMedications(tx, meds, memberIds, report, count, opts.onItem);

      const touched = new Set<string>([
        ...newObs.map((o) => o.memberId),
        ...newConds.map((c) => c.memberId),
        ...newMeds.map((m) => m.memberId),
      ]);
      report.memberIds = [...new Set([...memberIds.values()])];
      if (touched.size === 0) return;
      const profiles = await updateProfilesFor(tx, [...touched], newObs, newConds, newMeds, now);
      await ctx.care?.afterIngest(tx, { now, observations: newObs, profiles });
    });
  } catch (err) {
    if (err instanceof AtomicBatchFailed) {
      report.rolledBack = true;
      report.accepted = { members: 0, observations: 0, conditions: 0, medications: 0 };
      report.duplicates = 0;
      return report;
    }
    throw err;
  }
  return report;
}

type Count = (
  type: string,
  field: 'accepted' | 'duplicates' | 'rejected' | 'skipped',
  n?: number,
) => void;

async function upsertMembers(
  tx: Queryable,
  members: Located<MemberInput>[],
  report: IngestReport,
  count: Count,
  onItem?: IngestOptions['onItem'],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (members.length === 0) return ids;
  // Last one wins within a batch for the same reference.
  const byRef = new Map(members.map((m) => [m.value.externalRef, m]));
  const list = [...byRef.values()];
  const { rows } = await tx.query<{ id: string; external_ref: string; inserted: boolean }>(
    `INSERT INTO members (external_ref, name, gender, birth_date, time_zone, locale)
     SELECT r, n, g, b::date, coalesce(tz, 'Asia/Shanghai'), coalesce(l, 'zh-CN')
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(r, n, g, b, tz, l)
     ON CONFLICT (external_ref) DO UPDATE
       SET name = EXCLUDED.name, gender = EXCLUDED.gender, birth_date = EXCLUDED.birth_date
     RETURNING id::text AS id, external_ref, (xmax = 0) AS inserted`,
    [
      list.map((m) => m.value.externalRef),
      list.map((m) => m.value.name),
      list.map((m) => m.value.gender),
      list.map((m) => m.value.birthDate),
      list.map((m) => m.value.timeZone ?? null),
      list.map((m) => m.value.locale ?? null),
    ],
  );
  for (const r of rows) {
    ids.set(r.external_ref, r.id);
    const m = byRef.get(r.external_ref);
    if (r.inserted) {
      report.accepted.members++;
      if (m) count(m.sourceType, 'accepted');
    } else {
      report.duplicates++;
      if (m) count(m.sourceType, 'duplicates');
    }
    if (m) onItem?.(m.ref, r.inserted ? 'created' : 'duplicate');
  }
  return ids;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A member reference is an external reference (FHIR Patient id) or CareLoop's own member id. */
async function resolveMemberRefs(
  tx: Queryable,
  refs: string[],
  into: Map<string, string>,
): Promise<void> {
  if (refs.length === 0) return;
  const uuids = refs.filter((r) => uuidPattern.test(r));
  const { rows } = await tx.query<{ id: string; external_ref: string }>(
    `SELECT id::text AS id, external_ref FROM members WHERE external_ref = ANY($1::text[]) OR id = ANY($2::uuid[])`,
    [refs, uuids],
  );
  for (const r of rows) {
    into.set(r.external_ref, r.id);
    into.set(r.id, r.id);
  }
}

async function insertObservations(
  tx: Queryable,
  obs: Located<ObservationInput>[],
  memberIds: Map<string, string>,
  report: IngestReport,
  count: Count,
  onItem?: IngestOptions['onItem'],
): Promise<StoredObservation[]> {
  if (obs.length === 0) return [];
  // One JSON text parameter instead of 15 arrays: JSON.stringify is native, whereas the drivers
  // escape every array element in JS (the largest JS cost of the insert, see decision 0005).
  const payload = JSON.stringify(
    obs.map(({ value: o }) => ({
      m: memberIds.get(o.memberRef),
      c: o.code,
      i: o.indicator,
      v: o.value,
      u: o.unit,
      ov: o.originalValue,
      ou: o.originalUnit,
      a: o.effectiveAt,
      e: o.effectiveEnd ?? null,
      k: o.sourceKind,
      s: o.sourceSystem,
      r: o.sourceRecordId,
      ik: o.idempotencyKey,
      p: o.panelKey ?? null,
      st: o.setting ?? null,
    })),
  );
  const { rows } = await tx.query<{ id: string; member_id: string; idempotency_key: string }>(
    `INSERT INTO observations (member_id, code, indicator, value, unit, original_value, original_unit,
        effective_at, effective_end, source_kind, source_system, source_record_id, idempotency_key, panel_key, setting)
     SELECT m, c, i, v, u, ov, ou, a, e, k, s, r, ik, p, st
       FROM json_to_recordset($1::json) AS t(m uuid, c text, i text, v float8, u text, ov float8, ou text,
         a timestamptz, e timestamptz, k text, s text, r text, ik text, p text, st text)
     ON CONFLICT (member_id, idempotency_key) DO NOTHING
     RETURNING id::text AS id, member_id::text AS member_id, idempotency_key`,
    [payload],
  );
  const inserted = new Map(rows.map((r) => [`${r.member_id}|${r.idempotency_key}`, r.id]));
  const stored: StoredObservation[] = [];
  for (const o of obs) {
    const memberId = memberIds.get(o.value.memberRef)!;
    const key = `${memberId}|${o.value.idempotencyKey}`;
    const id = inserted.get(key);
    if (id === undefined) {
      report.duplicates++;
      count(o.sourceType, 'duplicates');
      onItem?.(o.ref, 'duplicate');
      continue;
    }
    // A key repeated inside one batch is inserted once; later copies are duplicates.
    inserted.delete(key);
    stored.push({ ...o.value, id, memberId });
    report.accepted.observations++;
    count(o.sourceType, 'accepted');
    onItem?.(o.ref, 'created');
  }
  return stored;
}

interface StoredRef {
  id: string;
  memberId: string;
}

async function insertConditions(
  tx: Queryable,
  conds: Located<ConditionInput>[],
  memberIds: Map<string, string>,
  report: IngestReport,
  count: Count,
  onItem?: IngestOptions['onItem'],
): Promise<(ConditionInput & StoredRef)[]> {
  if (conds.length === 0) return [];
  const v = conds.map((c) => c.value);
  const { rows } = await tx.query<{ id: string; member_id: string; idempotency_key: string }>(
    `INSERT INTO conditions (member_id, system, code, display, clinical_status, onset, abatement, source_record_id, idempotency_key)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[], $9::text[])
     ON CONFLICT (member_id, idempotency_key) DO NOTHING
     RETURNING id::text AS id, member_id::text AS member_id, idempotency_key`,
    [
      v.map((c) => memberIds.get(c.memberRef)),
      v.map((c) => c.system),
      v.map((c) => c.code),
      v.map((c) => c.display),
      v.map((c) => c.clinicalStatus),
      v.map((c) => c.onset),
      v.map((c) => c.abatement),
      v.map((c) => c.sourceRecordId),
      v.map((c) => c.idempotencyKey),
    ],
  );
  return collect(conds, rows, memberIds, report, count, 'conditions', onItem);
}

async function insertMedications(
  tx: Queryable,
  meds: Located<MedicationInput>[],
  memberIds: Map<string, string>,
  report: IngestReport,
  count: Count,
  onItem?: IngestOptions['onItem'],
): Promise<(MedicationInput & StoredRef)[]> {
  if (meds.length === 0) return [];
  const v = meds.map((m) => m.value);
  const { rows } = await tx.query<{ id: string; member_id: string; idempotency_key: string }>(
    `INSERT INTO medications (member_id, name, code, system, status, rrule, dosage_text, authored_on, source_record_id, idempotency_key)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::text[], $10::text[])
     ON CONFLICT (member_id, idempotency_key) DO NOTHING
     RETURNING id::text AS id, member_id::text AS member_id, idempotency_key`,
    [
      v.map((m) => memberIds.get(m.memberRef)),
      v.map((m) => m.name),
      v.map((m) => m.code),
      v.map((m) => m.system),
      v.map((m) => m.status),
      v.map((m) => m.rrule),
      v.map((m) => m.dosageText),
      v.map((m) => m.authoredOn),
      v.map((m) => m.sourceRecordId),
      v.map((m) => m.idempotencyKey),
    ],
  );
  return collect(meds, rows, memberIds, report, count, 'medications', onItem);
}

function collect<T extends { memberRef: string; idempotencyKey: string }>(
  items: Located<T>[],
  rows: { id: string; member_id: string; idempotency_key: string }[],
  memberIds: Map<string, string>,
  report: IngestReport,
  count: Count,
  field: 'conditions' | 'medications',
  onItem?: IngestOptions['onItem'],
): (T & StoredRef)[] {
  const inserted = new Map(rows.map((r) => [`${r.member_id}|${r.idempotency_key}`, r.id]));
  const out: (T & StoredRef)[] = [];
  for (const x of items) {
    const memberId = memberIds.get(x.value.memberRef)!;
    const key = `${memberId}|${x.value.idempotencyKey}`;
    const id = inserted.get(key);
    if (id === undefined) {
      report.duplicates++;
      count(x.sourceType, 'duplicates');
      onItem?.(x.ref, 'duplicate');
      continue;
    }
    inserted.delete(key);
    out.push({ ...x.value, id, memberId });
    report.accepted[field]++;
    count(x.sourceType, 'accepted');
    onItem?.(x.ref, 'created');
  }
  return out;
}
