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
import { CopyBinaryWriter } from '../db/copyBinary.ts';
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

/** One batch's bookkeeping: its report and the item outcomes to tell once its transaction settles. */
class Unit {
  report = emptyReport();
  outcomes: [string, ItemOutcome][] = [];
  /** Member references the batch names (its report lists their ids). */
  readonly refs = new Set<string>();
  #saved: { report: IngestReport; outcomes: [string, ItemOutcome][] } | null = null;

  constructor(readonly opts: IngestOptions) {}

  count(type: string, field: 'accepted' | 'duplicates' | 'rejected' | 'skipped', n = 1): void {
    const t = (this.report.byType[type] ??= {
      accepted: 0,
      duplicates: 0,
      rejected: 0,
      skipped: 0,
    });
    t[field] += n;
  }

  tell(ref: string, outcome: ItemOutcome): void {
    // Kept only for a listener: an import of 100k readings would hold 100k pairs for nobody.
    if (this.opts.onItem) this.outcomes.push([ref, outcome]);
  }

  /** Remembers the state before a transaction, so that a retried attempt starts from it. */
  save(): void {
    this.#saved = { report: structuredClone(this.report), outcomes: [...this.outcomes] };
  }

  restore(): void {
    if (!this.#saved) return;
    this.report = structuredClone(this.#saved.report);
    this.outcomes = [...this.#saved.outcomes];
  }

  flush(): void {
    const onItem = this.opts.onItem;
    if (onItem) for (const [ref, o] of this.outcomes) onItem(ref, o);
    this.outcomes = [];
  }
}

interface Located<T> {
  ref: string;
  sourceType: string;
  value: T;
  unit: Unit;
}

/** A batch sorted into what goes to the database, with its unit. */
interface Classified {
  unit: Unit;
  members: Located<MemberInput>[];
  observations: Located<ObservationInput>[];
  conditions: Located<ConditionInput>[];
  medications: Located<MedicationInput>[];
}

const typeOf = (item: IngestItemResult): string =>
  item.sourceType ?? (item.ok ? item.record.kind : 'unknown');

const entryPattern = /^entry\[\d+\]/;

/** Sorts a batch's items; rejected and skipped ones are reported here and go no further. */
function classify(items: readonly IngestItemResult[], opts: IngestOptions): Classified {
  const unit = new Unit(opts);
  const report = unit.report;
  report.received = items.length;
  // One FHIR entry is one resource: when part of it is rejected (one half of a BP panel), none of it
  // is stored, so nothing is ever half-written.
  const entryOf = (ref: string): string | null => entryPattern.exec(ref)?.[0] ?? null;
  const rejectedEntries = new Set(
    items
      .filter((i) => !i.ok && !i.skipped)
      .map((i) => entryOf(i.ref))
      .filter((e): e is string => e !== null),
  );
  const out: Classified = { unit, members: [], observations: [], conditions: [], medications: [] };
  for (const item of items) {
    const type = typeOf(item);
    if (!item.ok) {
      if (item.skipped) {
        report.skipped.count++;
        const reason = item.issues[0]?.message ?? 'skipped';
        report.skipped.byReason[reason] = (report.skipped.byReason[reason] ?? 0) + 1;
        unit.count(type, 'skipped');
        unit.tell(item.ref, 'skipped');
      } else {
        report.rejected.push({ ref: item.ref, issues: item.issues, sourceType: type });
        unit.count(type, 'rejected');
        unit.tell(item.ref, 'rejected');
      }
      continue;
    }
    if (rejectedEntries.size > 0) {
      const entry = entryOf(item.ref);
      if (entry && rejectedEntries.has(entry)) {
        report.rejected.push({
          ref: item.ref,
          sourceType: type,
          issues: [
            { path: entry, message: 'not stored: another part of the same entry was rejected' },
          ],
        });
        unit.count(type, 'rejected');
        unit.tell(item.ref, 'rejected');
        continue;
      }
    }
    const r = item.record;
    if (r.kind === 'member') {
      unit.refs.add(r.value.externalRef);
      out.members.push({ ref: item.ref, sourceType: type, value: r.value, unit });
      continue;
    }
    unit.refs.add(r.value.memberRef);
    if (r.kind === 'observation')
      out.observations.push({ ref: item.ref, sourceType: type, value: r.value, unit });
    else if (r.kind === 'condition')
      out.conditions.push({ ref: item.ref, sourceType: type, value: r.value, unit });
    else out.medications.push({ ref: item.ref, sourceType: type, value: r.value, unit });
  }
  return out;
}

/** Counts and tells one stored item: created (as the given kind) or, for null, a duplicate. */
function tally(
  x: Located<unknown>,
  created: 'observations' | 'conditions' | 'medications' | null,
): void {
  if (created === null) x.unit.report.duplicates++;
  else x.unit.report.accepted[created]++;
  x.unit.count(x.sourceType, created === null ? 'duplicates' : 'accepted');
  x.unit.tell(x.ref, created === null ? 'duplicate' : 'created');
}

/** An atomic batch met a rejection inside the transaction: roll back. */
class AtomicBatchFailed extends Error {}

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
  return ingestOne(ctx, classify(items, opts));
}

/**
 * Several batches in one transaction (group commit, decision 0008): one BEGIN/COMMIT, one COPY and
 * a few statements for all of them instead of per batch. Each batch keeps its own report and its
 * all-or-nothing promise: a batch rejected before the database is reported alone, and if anything
 * goes wrong inside the shared transaction (an atomic batch naming an unknown member, a database
 * error) the whole group rolls back and each batch is redone in a transaction of its own.
 * Returns the reports in input order.
 */
export async function ingestItemGroup(
  ctx: IngestContext,
  batches: readonly { items: readonly IngestItemResult[]; opts?: IngestOptions | undefined }[],
): Promise<IngestReport[]> {
  const all = batches.map((b) => classify(b.items, b.opts ?? {}));
  const storable = all.filter((c) => !(c.unit.opts.atomic && c.unit.report.rejected.length > 0));
  for (const c of all) if (!storable.includes(c)) rollBackReport(c.unit);
  if (storable.length === 1) await ingestOne(ctx, storable[0]!);
  else if (storable.length > 1) {
    for (const c of storable) c.unit.save();
    try {
      await transactWithFallback(ctx, storable);
      for (const c of storable) c.unit.flush();
    } catch {
      // Whatever failed is found again, and reported against its own batch, when each runs alone.
      for (const c of storable) {
        c.unit.restore();
        await ingestOne(ctx, c);
      }
    }
  }
  return all.map((c) => c.unit.report);
}

function rollBackReport(unit: Unit): void {
  unit.report.rolledBack = true;
  unit.report.accepted = { members: 0, observations: 0, conditions: 0, medications: 0 };
  unit.report.duplicates = 0;
  unit.flush();
}

async function ingestOne(ctx: IngestContext, c: Classified): Promise<IngestReport> {
  if (c.unit.opts.atomic && c.unit.report.rejected.length > 0) {
    rollBackReport(c.unit);
    return c.unit.report;
  }
  c.unit.save();
  try {
    await transactWithFallback(ctx, [c]);
  } catch (err) {
    if (err instanceof AtomicBatchFailed) {
      rollBackReport(c.unit);
      return c.unit.report;
    }
    throw err;
  }
  c.unit.flush();
  return c.unit.report;
}

async function transactWithFallback(ctx: IngestContext, group: Classified[]): Promise<void> {
  try {
    await transact(ctx, group, 'copy');
  } catch (err) {
    // The COPY path trusts what it read under the member lock (which observation keys exist; that a
    // member without a profile state has no facts); a writer that bypassed the lock would surface
    // here as a key violation. Nothing was written: redo it with INSERT … ON CONFLICT.
    if (!isBulkLoadKeyViolation(err)) throw err;
    for (const c of group) c.unit.restore();
    await transact(ctx, group, 'insert');
  }
}

/** One transaction for the group's batches; outcomes go to each item's own unit. */
function transact(ctx: IngestContext, group: Classified[], load: ObservationLoad): Promise<void> {
  const members = group.flatMap((c) => c.members);
  const observations = group.flatMap((c) => c.observations);
  const conditions = group.flatMap((c) => c.conditions);
  const medications = group.flatMap((c) => c.medications);
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const created = new Set<string>();
    // Every member this group writes to is row-locked (FOR NO KEY UPDATE) before anything is read
    // or written for them: the upsert locks the members it names, resolveMemberRefs the others.
    // Concurrent ingests for one member queue here instead of folding into the same profile
    // state, and the observation load may trust what it reads about existing keys.
    const memberIds = await upsertMembers(tx, members, created);
    const refs = new Set<string>();
    for (const c of group) for (const r of c.unit.refs) if (!memberIds.has(r)) refs.add(r);
    await resolveMemberRefs(tx, [...refs], memberIds);

    const failedAtomic = new Set<Unit>();
    const unknownMember = (x: Located<{ memberRef: string }>): boolean => {
      const id = memberIds.get(x.value.memberRef);
      const allowed = x.unit.opts.allowedMemberIds;
      if (id !== undefined && (!allowed || allowed.includes(id))) return false;
      x.unit.report.rejected.push({
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
      x.unit.count(x.sourceType, 'rejected');
      x.unit.tell(x.ref, 'rejected');
      if (x.unit.opts.atomic) failedAtomic.add(x.unit);
      return true;
    };
    const obs = observations.filter((x) => !unknownMember(x));
    const conds = conditions.filter((x) => !unknownMember(x));
    const meds = medications.filter((x) => !unknownMember(x));
    if (failedAtomic.size > 0) throw new AtomicBatchFailed();

    const newConds = await insertConditions(tx, conds, memberIds);
    const newMeds = await insertMedications(tx, meds, memberIds);
    const { stored: newObs, load: loadObservations } = await insertObservations(
      tx,
      ctx.db.kind,
      obs,
      memberIds,
      created,
      load,
    );

    for (const c of group) {
      const ids = new Set<string>();
      for (const r of c.unit.refs) {
        const id = memberIds.get(r);
        if (id !== undefined) ids.add(id);
      }
      c.unit.report.memberIds = [...ids];
    }
    const touched = new Set<string>();
    for (const o of newObs) touched.add(o.memberId);
    for (const x of newConds) touched.add(x.memberId);
    for (const x of newMeds) touched.add(x.memberId);
    // The observations' COPY runs while this thread computes the profiles (decision 0008).
    const profiles = await updateProfilesFor(tx, [...touched], newObs, newConds, newMeds, now, {
      alongside: loadObservations,
      copyFirstFacts: load === 'copy',
    });
    if (touched.size === 0) return;
    await ctx.care?.afterIngest(tx, { now, observations: newObs, profiles });
  });
}

/**
 * How observations (and a new member's first facts) go in: COPY after reading which keys exist, or
 * INSERT … ON CONFLICT.
 */
type ObservationLoad = 'copy' | 'insert';

function isBulkLoadKeyViolation(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return (
    e?.code === '23505' &&
    (e.constraint === 'observations_pkey' || e.constraint === 'profile_facts_pkey')
  );
}

/**
 * Upserts the members named, by external reference. Within a batch the last item for a reference
 * represents it; across the batches of a group the last one's values are stored (as if applied in
 * order) and the first batch to name a reference gets the database's answer (created or already
 * there), later ones 'duplicate'.
 */
async function upsertMembers(
  tx: Queryable,
  members: Located<MemberInput>[],
  created: Set<string>,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (members.length === 0) return ids;
  const reps = new Map<string, Located<MemberInput>[]>();
  for (const m of members) {
    const list = reps.get(m.value.externalRef);
    if (!list) reps.set(m.value.externalRef, [m]);
    else if (list[list.length - 1]!.unit === m.unit) list[list.length - 1] = m;
    else list.push(m);
  }
  const list = [...reps.values()].map((l) => l[l.length - 1]!);
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
    if (r.inserted) created.add(r.id);
    (reps.get(r.external_ref) ?? []).forEach((m, i) => {
      const isNew = r.inserted && i === 0;
      if (isNew) m.unit.report.accepted.members++;
      else m.unit.report.duplicates++;
      m.unit.count(m.sourceType, isNew ? 'accepted' : 'duplicates');
      m.unit.tell(m.ref, isNew ? 'created' : 'duplicate');
    });
  }
  return ids;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A member reference is an external reference (FHIR Patient id) or CareLoop's own member id. The
 * members found are locked, in id order so that two lockers never wait on each other crosswise.
 */
async function resolveMemberRefs(
  tx: Queryable,
  refs: string[],
  into: Map<string, string>,
): Promise<void> {
  if (refs.length === 0) return;
  const uuids = refs.filter((r) => uuidPattern.test(r));
  const { rows } = await tx.query<{ id: string; external_ref: string }>(
    `SELECT id::text AS id, external_ref FROM members WHERE external_ref = ANY($1::text[]) OR id = ANY($2::uuid[])
      ORDER BY id FOR NO KEY UPDATE`,
    [refs, uuids],
  );
  for (const r of rows) {
    into.set(r.external_ref, r.id);
    into.set(r.id, r.id);
  }
}

/**
 * The stored form, built field by field: spreading the parsed input (`{ ...o, id, memberId }`) cost
 * ≈ 4 µs per observation, as much as parsing it (decision 0008); one literal shape costs ≈ 0.1 µs.
 */
function storedObservation(o: ObservationInput, id: string, memberId: string): StoredObservation {
  return {
    memberRef: o.memberRef,
    code: o.code,
    indicator: o.indicator,
    value: o.value,
    unit: o.unit,
    originalValue: o.originalValue,
    originalUnit: o.originalUnit,
    effectiveAt: o.effectiveAt,
    effectiveEnd: o.effectiveEnd,
    sourceKind: o.sourceKind,
    sourceSystem: o.sourceSystem,
    sourceRecordId: o.sourceRecordId,
    idempotencyKey: o.idempotencyKey,
    panelKey: o.panelKey,
    setting: o.setting,
    id,
    memberId,
  };
}

/**
 * The COPY path's stored form: the parsed input itself, given its id and member id. The items were
 * parsed for this ingest and nothing reads them after it, so they need no copy; the 17-field copy
 * of every observation was 5 % of an import's CPU (decision 0008, item 11). A retried transaction
 * assigns both fields again.
 */
function becomeStored(o: ObservationInput, id: string, memberId: string): StoredObservation {
  const stored = o as StoredObservation;
  stored.id = id;
  stored.memberId = memberId;
  return stored;
}

const observationColumns = [
  'id',
  'member_id',
  'code',
  'indicator',
  'value',
  'unit',
  'original_value',
  'original_unit',
  'effective_at',
  'effective_end',
  'source_kind',
  'source_system',
  'source_record_id',
  'idempotency_key',
  'panel_key',
  'setting',
] as const;

/**
 * Decides, per observation, stored or duplicate (and tells each item's unit), and returns the new
 * ones with their ids. With the COPY path the rows are not written yet: `load` writes them, so that
 * the caller can let the database do it while it computes the profiles.
 */
async function insertObservations(
  tx: Queryable,
  kind: Db['kind'],
  obs: Located<ObservationInput>[],
  memberIds: Map<string, string>,
  created: ReadonlySet<string>,
  load: ObservationLoad,
): Promise<{ stored: StoredObservation[]; load: () => Promise<unknown> }> {
  if (obs.length === 0) return { stored: [], load: () => Promise.resolve() };
  const planned =
    load === 'copy'
      ? await copyObservations(tx, kind, obs, memberIds, created)
      : {
          rows: await insertObservationsOnConflict(tx, obs, memberIds),
          load: () => Promise.resolve(),
        };
  const out: StoredObservation[] = [];
  for (let i = 0; i < obs.length; i++) {
    const o = obs[i]!;
    const s = planned.rows[i];
    tally(o, s === undefined ? null : 'observations');
    if (s !== undefined) out.push(s);
  }
  return { stored: out, load: planned.load };
}

/**
 * The fast path (decision 0008): under the member lock, read which of the batch's keys are already
 * stored (members created by this batch have none), take ids from the identity sequence, and COPY
 * the new rows in. Returns, per input position, the stored observation or undefined (a duplicate:
 * already stored, or an earlier copy of the same key in this batch).
 */
/**
 * n ids from the observations' identity sequence. PGlite has one connection, so nothing can take
 * ids between a nextval and a setval: one block costs one statement. On PostgreSQL other sessions
 * can, so each id is its own nextval (still one statement).
 */
async function takeObservationIds(tx: Queryable, kind: Db['kind'], n: number): Promise<string[]> {
  if (kind === 'pglite') {
    const { rows } = await tx.query<{ last: number | string }>(
      `SELECT setval('observations_id_seq', nextval('observations_id_seq') + $1::int - 1) AS last`,
      [n],
    );
    const last = Number(rows[0]!.last);
    return Array.from({ length: n }, (_, i) => String(last - n + 1 + i));
  }
  const { rows } = await tx.query<{ ids: string }>(
    `SELECT string_agg(nextval('observations_id_seq')::text, ',') AS ids FROM generate_series(1, $1::int)`,
    [n],
  );
  return rows[0]!.ids.split(',');
}

async function copyObservations(
  tx: Queryable,
  kind: Db['kind'],
  obs: Located<ObservationInput>[],
  memberIds: Map<string, string>,
  created: ReadonlySet<string>,
): Promise<{ rows: (StoredObservation | undefined)[]; load: () => Promise<unknown> }> {
  // Keys already stored or already in this batch, per member (no concatenated key strings: they
  // were a tenth of this function's time).
  const taken = new Map<string, Set<string>>();
  const takenOf = (memberId: string): Set<string> => {
    let keys = taken.get(memberId);
    if (keys === undefined) taken.set(memberId, (keys = new Set()));
    return keys;
  };
  const memberOf: string[] = new Array<string>(obs.length);
  const probe: { m: string; k: string }[] = [];
  for (let i = 0; i < obs.length; i++) {
    const o = obs[i]!.value;
    const memberId = (memberOf[i] = memberIds.get(o.memberRef)!);
    if (!created.has(memberId)) probe.push({ m: memberId, k: o.idempotencyKey });
  }
  if (probe.length > 0) {
    const { rows } = await tx.query<{ m: string; k: string }>(
      `SELECT t.m::text AS m, t.k FROM json_to_recordset($1::json) AS t(m uuid, k text)
        WHERE EXISTS (SELECT 1 FROM observations o WHERE o.member_id = t.m AND o.idempotency_key = t.k)`,
      [JSON.stringify(probe)],
    );
    for (const r of rows) takenOf(r.m).add(r.k);
  }
  const fresh: number[] = [];
  let lastMember = '';
  let keys = new Set<string>();
  for (let i = 0; i < obs.length; i++) {
    const memberId = memberOf[i]!;
    if (memberId !== lastMember) keys = takenOf((lastMember = memberId));
    const key = obs[i]!.value.idempotencyKey;
    if (keys.has(key)) continue;
    keys.add(key); // a key repeated inside one batch is stored once
    fresh.push(i);
  }
  const out: (StoredObservation | undefined)[] = new Array<StoredObservation | undefined>(
    obs.length,
  );
  if (fresh.length === 0) return { rows: out, load: () => Promise.resolve() };
  const ids = await takeObservationIds(tx, kind, fresh.length);
  // Binary COPY: shorter rows and nothing to parse on the database side (decision 0008).
  const w = new CopyBinaryWriter(fresh.length * 256);
  for (let j = 0; j < fresh.length; j++) {
    const i = fresh[j]!;
    const o = obs[i]!.value;
    const memberId = memberOf[i]!;
    const id = ids[j]!;
    // Same order as observationColumns.
    w.row(observationColumns.length)
      .int8(id)
      .uuid(memberId)
      .label(o.code)
      .label(o.indicator)
      .float8(o.value)
      .label(o.unit)
      .float8(o.originalValue)
      .label(o.originalUnit)
      .timestamptz(o.effectiveAt)
      .timestamptz(o.effectiveEnd)
      .label(o.sourceKind)
      .label(o.sourceSystem)
      .text(o.sourceRecordId)
      .text(o.idempotencyKey)
      .text(o.panelKey)
      .label(o.setting);
    out[i] = becomeStored(o, id, memberId);
  }
  const data = w.finish();
  return { rows: out, load: () => tx.copyFrom('observations', observationColumns, data) };
}

/** The general path: one INSERT … ON CONFLICT DO NOTHING RETURNING, whatever else writes. */
async function insertObservationsOnConflict(
  tx: Queryable,
  obs: Located<ObservationInput>[],
  memberIds: Map<string, string>,
): Promise<(StoredObservation | undefined)[]> {
  // One JSON text parameter instead of 15 arrays: JSON.stringify is native, whereas the drivers
  // escape every array element in JS (decision 0005).
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
  return obs.map(({ value: o }) => {
    const memberId = memberIds.get(o.memberRef)!;
    const key = `${memberId}|${o.idempotencyKey}`;
    const id = inserted.get(key);
    if (id === undefined) return undefined;
    // A key repeated inside one batch is inserted once; later copies are duplicates.
    inserted.delete(key);
    return storedObservation(o, id, memberId);
  });
}

interface StoredRef {
  id: string;
  memberId: string;
}

async function insertConditions(
  tx: Queryable,
  conds: Located<ConditionInput>[],
  memberIds: Map<string, string>,
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
  return collect(conds, rows, memberIds, 'conditions');
}

async function insertMedications(
  tx: Queryable,
  meds: Located<MedicationInput>[],
  memberIds: Map<string, string>,
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
  return collect(meds, rows, memberIds, 'medications');
}

function collect<T extends { memberRef: string; idempotencyKey: string }>(
  items: Located<T>[],
  rows: { id: string; member_id: string; idempotency_key: string }[],
  memberIds: Map<string, string>,
  field: 'conditions' | 'medications',
): (T & StoredRef)[] {
  const inserted = new Map(rows.map((r) => [`${r.member_id}|${r.idempotency_key}`, r.id]));
  const out: (T & StoredRef)[] = [];
  for (const x of items) {
    const memberId = memberIds.get(x.value.memberRef)!;
    const key = `${memberId}|${x.value.idempotencyKey}`;
    const id = inserted.get(key);
    tally(x, id === undefined ? null : field);
    if (id === undefined) continue;
    inserted.delete(key);
    out.push({ ...x.value, id, memberId });
  }
  return out;
}
