import type { ProfileMember, StoredObservation } from '@careloop/core';

/** Timestamps come back as Date from both drivers; normalise to ISO strings at the boundary. */
export function iso(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  return new Date(String(v)).toISOString();
}

export function isoOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : iso(v);
}

export interface ObservationRow {
  id: string;
  member_id: string;
  code: string;
  indicator: string | null;
  value: number;
  unit: string;
  original_value: number;
  original_unit: string;
  effective_at: Date | string;
  effective_end: Date | string | null;
  source_kind: StoredObservation['sourceKind'];
  source_system: string;
  source_record_id: string | null;
  idempotency_key: string;
  panel_key: string | null;
  setting: StoredObservation['setting'];
}

export const observationColumns = `id::text AS id, member_id::text AS member_id, code, indicator, value, unit,
  original_value, original_unit, effective_at, effective_end, source_kind, source_system, source_record_id,
  idempotency_key, panel_key, setting`;

export function toStoredObservation(r: ObservationRow, memberRef = r.member_id): StoredObservation {
  return {
    id: r.id,
    memberId: r.member_id,
    memberRef,
    code: r.code,
    indicator: r.indicator,
    value: Number(r.value),
    unit: r.unit,
    originalValue: Number(r.original_value),
    originalUnit: r.original_unit,
    effectiveAt: iso(r.effective_at),
    effectiveEnd: isoOrNull(r.effective_end),
    sourceKind: r.source_kind,
    sourceSystem: r.source_system,
    sourceRecordId: r.source_record_id,
    idempotencyKey: r.idempotency_key,
    panelKey: r.panel_key,
    setting: r.setting,
  };
}

export interface MemberRow {
  id: string;
  external_ref: string;
  name: string;
  gender: ProfileMember['gender'];
  birth_date: string | Date | null;
  time_zone: string;
  locale: 'zh-CN' | 'en';
  channel_preferences: string[];
  consents: {
    channels?: Record<string, boolean>;
    marketing?: boolean;
    shareWithCareTeam?: boolean;
  };
  quiet_hours: { start: string; end: string } | null;
  created_at: Date | string;
  last_interaction_at: Date | string | null;
}

export const memberColumns = (a = ''): string =>
  `${a}id::text AS id, ${a}external_ref, ${a}name, ${a}gender, to_char(${a}birth_date, 'YYYY-MM-DD') AS birth_date,
  ${a}time_zone, ${a}locale, ${a}channel_preferences, ${a}consents, ${a}quiet_hours, ${a}created_at, ${a}last_interaction_at`;

export function toProfileMember(m: MemberRow): ProfileMember {
  return {
    memberId: m.id,
    gender: m.gender,
    birthDate: m.birth_date ? String(m.birth_date).slice(0, 10) : null,
    timeZone: m.time_zone,
  };
}
