import {
  profileStateIsCurrent,
  rebuildProfile,
  updateProfile,
  type ProfileFact,
  type ProfileState,
  type ProfileUpdate,
  type StoredCondition,
  type StoredMedication,
  type StoredObservation,
} from '@careloop/core';
import type { Queryable } from '../db/Db.ts';
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
 * changed. A state made by an older rule set is rebuilt from the member's whole history instead.
 */
export async function updateProfilesFor(
  tx: Queryable,
  memberIds: readonly string[],
  newObs: readonly StoredObservation[],
  newConds: readonly StoredCondition[],
  newMeds: readonly StoredMedication[],
  now: Date,
): Promise<MemberProfileUpdate[]> {
  if (memberIds.length === 0) return [];
  // Two transactions updating one member's profile at once would each fold their items into the same
  // old state and the later write would drop the earlier one's. Lock the members first (in id order,
  // so two lockers never wait on each other crosswise), then read the state in a fresh statement:
  // under READ COMMITTED that statement sees what the transaction we waited for committed.
  // NO KEY UPDATE, not UPDATE: the observation inserts already hold KEY SHARE locks on these rows
  // (their foreign key), and FOR UPDATE would deadlock two such transactions against each other.
  await tx.query(`SELECT 1 FROM members WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`, [
    memberIds,
  ]);
  const { rows } = await tx.query<MemberRow & { state: ProfileState | null }>(
    `SELECT ${memberColumns('m.')}, s.state
       FROM members m LEFT JOIN profile_states s ON s.member_id = m.id
      WHERE m.id = ANY($1::uuid[])`,
    [memberIds],
  );
  const obsBy = groupBy(newObs, (o) => o.memberId);
  const condBy = groupBy(newConds, (c) => c.memberId);
  const medBy = groupBy(newMeds, (m) => m.memberId);
  const updates: MemberProfileUpdate[] = [];
  for (const row of rows) {
    const member = toProfileMember(row);
    let update: ProfileUpdate;
    if (row.state && profileStateIsCurrent(row.state)) {
      update = updateProfile({
        state: row.state,
        member,
        observations: obsBy.get(row.id) ?? [],
        conditions: condBy.get(row.id) ?? [],
        medications: medBy.get(row.id) ?? [],
        now,
      });
    } else if (row.state) {
      update = await rebuildMember(tx, row, now);
    } else {
      // A member's first data: the batch is their whole history.
      update = updateProfile({
        state: null,
        member,
        observations: obsBy.get(row.id) ?? [],
        conditions: condBy.get(row.id) ?? [],
        medications: medBy.get(row.id) ?? [],
        now,
      });
    }
    updates.push({ ...update, memberId: row.id, member: row });
  }
  await writeProfiles(tx, updates, now);
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

/** Writes states and the changed/removed facts of many members in a few set-based statements. */
export async function writeProfiles(
  tx: Queryable,
  updates: readonly (ProfileUpdate & { memberId: string })[],
  now: Date,
): Promise<void> {
  if (updates.length === 0) return;
  await tx.query(
    `INSERT INTO profile_states (member_id, state, updated_at)
     SELECT m, s::jsonb, $3 FROM unnest($1::uuid[], $2::text[]) AS t(m, s)
     ON CONFLICT (member_id) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
    [
      updates.map((u) => u.memberId),
      updates.map((u) => JSON.stringify(u.state)),
      now.toISOString(),
    ],
  );
  const delMembers: string[] = [];
  const delKeys: string[] = [];
  const changed: { memberId: string; fact: ProfileFact }[] = [];
  for (const u of updates) {
    for (const k of u.removedKeys) {
      delMembers.push(u.memberId);
      delKeys.push(k);
    }
    if (u.changedKeys.length === 0) continue;
    const keys = new Set(u.changedKeys);
    for (const f of u.facts) if (keys.has(f.key)) changed.push({ memberId: u.memberId, fact: f });
  }
  if (delKeys.length > 0) {
    await tx.query(
      `DELETE FROM profile_facts p USING unnest($1::uuid[], $2::text[]) AS d(m, k)
        WHERE p.member_id = d.m AND p.key = d.k`,
      [delMembers, delKeys],
    );
  }
  if (changed.length > 0) {
    await tx.query(
      `INSERT INTO profile_facts (member_id, key, kind, value, unit, rule_id, citation, evidence, label, updated_at)
       SELECT m, k, kd, v::jsonb, u, r, c, e::jsonb, l::jsonb, $10
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
           AS t(m, k, kd, v, u, r, c, e, l)
       ON CONFLICT (member_id, key) DO UPDATE SET kind = EXCLUDED.kind, value = EXCLUDED.value, unit = EXCLUDED.unit,
         rule_id = EXCLUDED.rule_id, citation = EXCLUDED.citation, evidence = EXCLUDED.evidence,
         label = EXCLUDED.label, updated_at = EXCLUDED.updated_at`,
      [
        changed.map((c) => c.memberId),
        changed.map((c) => c.fact.key),
        changed.map((c) => c.fact.kind),
        changed.map((c) => JSON.stringify(c.fact.value)),
        changed.map((c) => c.fact.unit ?? null),
        changed.map((c) => c.fact.ruleId),
        changed.map((c) => c.fact.citation ?? null),
        changed.map((c) => JSON.stringify(c.fact.evidence)),
        changed.map((c) => (c.fact.label ? JSON.stringify(c.fact.label) : null)),
        now.toISOString(),
      ],
    );
  }
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
