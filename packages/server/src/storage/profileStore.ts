import {
  profileStateIsCurrent,
  rebuildProfile,
  stateForStorage,
  stateFromStorage,
  type StoredProfileState,
  updateProfile,
  type ProfileFact,
  type ProfileUpdate,
  type StoredCondition,
  type StoredMedication,
  type StoredObservation,
} from '@careloop/core';
import type { Queryable } from '../db/Db.ts';
import { CopyBinaryWriter } from '../db/copyBinary.ts';
import {
  iso,
  isoOrNull,
  memberColumns,
  observationColumns,
  toProfileMember,
  toStoredObservation,
  type MemberRow,
  type ObservationRow,
} from './rows.ts';

export interface MemberProfileUpdate extends ProfileUpdate {
  memberId: string;
  member: MemberRow;
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}

/**
 * Folds new items into each touched member's stored profile state and writes only the facts that
 * changed. The caller must hold the members' row locks (`FOR NO KEY UPDATE`) in this transaction. A
 * state made by an older rule set is rebuilt from the member's whole history instead.
 */
export async function updateProfilesFor(
  tx: Queryable,
  memberIds: readonly string[],
  newObs: readonly StoredObservation[],
  newConds: readonly StoredCondition[],
  newMeds: readonly StoredMedication[],
  now: Date,
  opts: {
    /**
     * Started once the state read is on its way and awaited before anything is written or read
     * back: the caller's own writes (the observation COPY), which the database performs while this
     * thread computes the profiles.
     */
    alongside?: () => Promise<unknown>;
    /**
     * Load the facts of members without a stored state (their first profile) with COPY instead of
     * an upsert. Such a member has no fact rows unless something bypassed this module; then the
     * load fails on `profile_facts_pkey` and the caller retries without it (ingestItems).
     */
    copyFirstFacts?: boolean;
  } = {},
): Promise<MemberProfileUpdate[]> {
  if (memberIds.length === 0) {
    await opts.alongside?.();
    return [];
  }
  // The caller holds every member's row lock (ingestItems takes them before it writes anything), so
  // no other transaction folds readings into the same state meanwhile; this fresh statement sees what
  // any transaction we waited for committed (READ COMMITTED).
  // States are stored without their facts (decision 0008): those come from profile_facts, read only
  // for members that have a state.
  const reading = tx.query<MemberRow & { state: string | null; facts: FactJson[] | null }>(
    `SELECT ${memberColumns('m.')}, s.state,
            CASE WHEN s.state IS NOT NULL THEN
              (SELECT json_agg(json_build_object('key', f.key, 'kind', f.kind, 'value', f.value,
                 'unit', f.unit, 'ruleId', f.rule_id, 'citation', f.citation, 'evidence', f.evidence,
                 'label', f.label))
                 FROM profile_facts f WHERE f.member_id = m.id)
            END AS facts
       FROM members m LEFT JOIN profile_states s ON s.member_id = m.id
      WHERE m.id = ANY($1::uuid[])`,
    [memberIds],
  );
  const pending = opts.alongside?.() ?? Promise.resolve();
  pending.catch(() => undefined); // awaited below; a failure must not surface unhandled meanwhile
  const { rows: stored } = await reading;
  const rows = stored.map((r) => ({
    ...r,
    state: r.state
      ? stateFromStorage(
          JSON.parse(r.state) as StoredProfileState,
          (r.facts ?? []).map(factFromJson),
        )
      : null,
  }));
  const obsBy = groupBy(newObs, (o) => o.memberId);
  const condBy = groupBy(newConds, (c) => c.memberId);
  const medBy = groupBy(newMeds, (m) => m.memberId);
  const updates: MemberProfileUpdate[] = [];
  const stale: typeof rows = [];
  for (const row of rows) {
    if (row.state && !profileStateIsCurrent(row.state)) {
      stale.push(row);
      continue;
    }
    // No state yet: the member's first data, the batch is their whole history.
    const update = updateProfile({
      state: row.state,
      member: toProfileMember(row),
      observations: obsBy.get(row.id) ?? [],
      conditions: condBy.get(row.id) ?? [],
      medications: medBy.get(row.id) ?? [],
      now,
    });
    updates.push({ ...update, memberId: row.id, member: row });
  }
  await pending;
  // A state made by an older rule set is rebuilt from everything stored, the new items included.
  for (const row of stale)
    updates.push({ ...(await rebuildMember(tx, row, now)), memberId: row.id, member: row });
  const firstFacts = new Set<string>();
  if (opts.copyFirstFacts) for (const row of rows) if (row.state === null) firstFacts.add(row.id);
  await writeProfiles(tx, updates, now, { firstFacts });
  return updates;
}

/** Recomputes one member from everything stored (after a rule-version change). */
export async function rebuildMember(
  tx: Queryable,
  row: MemberRow,
  now: Date,
): Promise<ProfileUpdate> {
  const [obs, conds, meds] = await Promise.all([
    tx.query<ObservationRow>(
      `SELECT ${observationColumns} FROM observations WHERE member_id = $1 ORDER BY effective_at`,
      [row.id],
    ),
    loadConditions(tx, row.id),
    loadMedications(tx, row.id),
  ]);
  return rebuildProfile({
    member: toProfileMember(row),
    observations: obs.rows.map((r) => toStoredObservation(r, row.external_ref)),
    conditions: conds,
    medications: meds,
    now,
  });
}

export async function loadConditions(tx: Queryable, memberId: string): Promise<StoredCondition[]> {
  const { rows } = await tx.query<Record<string, unknown>>(
    `SELECT id::text AS id, member_id::text AS member_id, system, code, display, clinical_status, onset, abatement,
            source_record_id, idempotency_key FROM conditions WHERE member_id = $1`,
    [memberId],
  );
  return rows.map((r) => ({
    id: String(r.id),
    memberId: String(r.member_id),
    memberRef: String(r.member_id),
    system: String(r.system),
    code: String(r.code),
    display: (r.display as string | null) ?? null,
    clinicalStatus: (r.clinical_status as string | null) ?? null,
    onset: isoOrNull(r.onset),
    abatement: isoOrNull(r.abatement),
    sourceRecordId: (r.source_record_id as string | null) ?? null,
    idempotencyKey: String(r.idempotency_key),
  }));
}

export async function loadMedications(
  tx: Queryable,
  memberId: string,
): Promise<StoredMedication[]> {
  const { rows } = await tx.query<Record<string, unknown>>(
    `SELECT id::text AS id, member_id::text AS member_id, name, code, system, status, rrule, dosage_text, authored_on,
            source_record_id, idempotency_key FROM medications WHERE member_id = $1`,
    [memberId],
  );
  return rows.map((r) => ({
    id: String(r.id),
    memberId: String(r.member_id),
    memberRef: String(r.member_id),
    name: String(r.name),
    code: (r.code as string | null) ?? null,
    system: (r.system as string | null) ?? null,
    status: String(r.status),
    rrule: (r.rrule as string | null) ?? null,
    dosageText: (r.dosage_text as string | null) ?? null,
    authoredOn: r.authored_on ? iso(r.authored_on) : null,
    sourceRecordId: (r.source_record_id as string | null) ?? null,
    idempotencyKey: String(r.idempotency_key),
  }));
}

/** Far below the protocol's 65,535 parameters; a group commit holds a few dozen members. */
const statesPerStatement = 1000;

/**
 * Writes states and the changed/removed facts of many members in a few set-based statements. The
 * facts of `firstFacts` members (known to have no fact rows) are loaded with a binary COPY: as one
 * JSON document for json_to_recordset, every fact was parsed by the database once for the document
 * and again for its json columns, and upserted row by row; a new member's first facts were three
 * times the database time of their COPY (decision 0008, item 11).
 */
export async function writeProfiles(
  tx: Queryable,
  updates: readonly (ProfileUpdate & { memberId: string })[],
  now: Date,
  opts: { firstFacts?: ReadonlySet<string> } = {},
): Promise<void> {
  if (updates.length === 0) return;
  // Each state is a parameter of its own, stored as sent (text: decision 0008). Inside one JSON
  // document for json_to_recordset, every state would be parsed by the database twice; as a text[]
  // the driver would escape it character by character in JavaScript.
  for (let i = 0; i < updates.length; i += statesPerStatement) {
    const chunk = updates.slice(i, i + statesPerStatement);
    const params: unknown[] = [now.toISOString()];
    const rows = chunk.map((u) => {
      params.push(u.memberId, JSON.stringify(stateForStorage(u.state)));
      return `($${params.length - 1}::uuid, $${params.length}, $1::timestamptz)`;
    });
    await tx.query(
      `INSERT INTO profile_states (member_id, state, updated_at) VALUES ${rows.join(', ')}
       ON CONFLICT (member_id) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
      params,
    );
  }
  const removed: { m: string; k: string }[] = [];
  const changed: Record<string, unknown>[] = [];
  const copied = new CopyBinaryWriter();
  let copiedRows = 0;
  for (const u of updates) {
    if (opts.firstFacts?.has(u.memberId)) {
      for (const f of u.facts) copyFact(copied, u.memberId, f, now);
      copiedRows += u.facts.length;
      continue;
    }
    for (const k of u.removedKeys) removed.push({ m: u.memberId, k });
    if (u.changedKeys.length === 0) continue;
    const keys = new Set(u.changedKeys);
    for (const f of u.facts) {
      if (!keys.has(f.key)) continue;
      changed.push({
        m: u.memberId,
        k: f.key,
        kd: f.kind,
        // A fact's value may be JSON null (stored as JSON null) or absent (stored as SQL NULL).
        hv: f.value !== undefined,
        v: f.value,
        u: f.unit ?? null,
        r: f.ruleId,
        c: f.citation ?? null,
        e: f.evidence,
        l: f.label ?? null,
      });
    }
  }
  if (copiedRows > 0) await tx.copyFrom('profile_facts', factColumns, copied.finish());
  if (removed.length > 0) {
    await tx.query(
      `DELETE FROM profile_facts p USING json_to_recordset($1::json) AS d(m uuid, k text)
        WHERE p.member_id = d.m AND p.key = d.k`,
      [JSON.stringify(removed)],
    );
  }
  if (changed.length > 0) {
    await tx.query(
      `INSERT INTO profile_facts (member_id, key, kind, value, unit, rule_id, citation, evidence, label, updated_at)
       SELECT t.m, t.k, t.kd, CASE WHEN t.hv THEN coalesce(t.v, 'null'::jsonb) END, t.u, t.r, t.c, t.e, t.l, $2
         FROM json_to_recordset($1::json)
           AS t(m uuid, k text, kd text, hv boolean, v jsonb, u text, r text, c text, e json, l json)
       ON CONFLICT (member_id, key) DO UPDATE SET kind = EXCLUDED.kind, value = EXCLUDED.value, unit = EXCLUDED.unit,
         rule_id = EXCLUDED.rule_id, citation = EXCLUDED.citation, evidence = EXCLUDED.evidence,
         label = EXCLUDED.label, updated_at = EXCLUDED.updated_at`,
      [JSON.stringify(changed), now.toISOString()],
    );
  }
}

const factColumns = [
  'member_id',
  'key',
  'kind',
  'value',
  'unit',
  'rule_id',
  'citation',
  'evidence',
  'label',
  'updated_at',
] as const;

/** One profile_facts row, columns in `factColumns` order, as the upsert above would store it. */
function copyFact(w: CopyBinaryWriter, memberId: string, f: ProfileFact, now: Date): void {
  w.row(factColumns.length)
    .uuid(memberId)
    .label(f.key)
    .label(f.kind)
    // A fact's value may be JSON null (stored as JSON null) or absent (stored as SQL NULL).
    .jsonb(f.value === undefined ? null : JSON.stringify(f.value))
    .label(f.unit ?? null)
    .label(f.ruleId ?? null)
    .label(f.citation ?? null)
    .json(JSON.stringify(f.evidence))
    .json(f.label ? JSON.stringify(f.label) : null)
    .timestamptz(now.toISOString());
}

/** A profile_facts row as json_build_object gives it (same names as ProfileFact). */
interface FactJson {
  key: string;
  kind: ProfileFact['kind'];
  value: ProfileFact['value'];
  unit: string | null;
  ruleId: string | null;
  citation: string | null;
  evidence: ProfileFact['evidence'];
  label: ProfileFact['label'] | null;
}

function factFromJson(f: FactJson): ProfileFact {
  const out: ProfileFact = {
    key: f.key,
    kind: f.kind,
    value: f.value,
    ruleId: f.ruleId,
    evidence: f.evidence,
  };
  if (f.citation !== null) out.citation = f.citation;
  if (f.unit !== null) out.unit = f.unit;
  if (f.label) out.label = f.label;
  return out;
}

export interface FactRow {
  key: string;
  kind: string;
  value: unknown;
  unit: string | null;
  rule_id: string | null;
  citation: string | null;
  evidence: unknown;
  label: unknown;
  updated_at: Date | string;
}

export async function loadFacts(q: Queryable, memberId: string): Promise<ProfileFact[]> {
  const { rows } = await q.query<FactRow>(
    `SELECT key, kind, value, unit, rule_id, citation, evidence, label, updated_at FROM profile_facts
      WHERE member_id = $1 ORDER BY key`,
    [memberId],
  );
  return rows.map((r) => ({
    key: r.key,
    kind: r.kind as ProfileFact['kind'],
    value: r.value as ProfileFact['value'],
    unit: r.unit,
    ruleId: r.rule_id,
    citation: r.citation,
    evidence: r.evidence as ProfileFact['evidence'],
    ...(r.label ? { label: r.label as ProfileFact['label'] } : {}),
  }));
}
