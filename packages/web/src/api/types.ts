// The shapes this page reads from the CareLoop HTTP API (packages/server/src/http/routes).

export type Bilingual = { 'zh-CN': string; en: string };

export type Role = 'member' | 'manager' | 'doctor' | 'operator' | 'admin';

export interface User {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  memberId: string | null;
}

export interface MemberSummary {
  id: string;
  externalRef: string;
  name: string;
  gender: string;
  birthDate: string | null;
  timeZone: string;
  locale: string;
  bpClass: string | null;
  tags: string[];
  lastReadingAt: string | null;
  openCareTasks: number;
}

export interface MemberList {
  total: number;
  members: MemberSummary[];
}

export interface Member {
  id: string;
  externalRef: string;
  name: string;
  gender: string;
  birthDate: string | null;
  timeZone: string;
  locale: string;
}

export interface Evidence {
  observationId?: string;
  conditionId?: string;
  code: string;
  value: number | string;
  unit?: string;
  effectiveAt: string;
}

export type FactKind =
  'tag' | 'class' | 'score' | 'stage' | 'segment' | 'value' | 'average' | 'trend' | 'flag';

export interface ProfileFact {
  key: string;
  kind: FactKind;
  value: string | number | boolean | null;
  unit?: string | null;
  ruleId: string | null;
  citation?: string | null;
  evidence: Evidence[];
  label?: Bilingual;
}

export interface Observation {
  id: string;
  code: string;
  indicator: string | null;
  value: number;
  unit: string;
  effectiveAt: string;
  sourceKind: string;
  panelKey: string | null;
}

export interface InboxMessage {
  id: string;
  priority: string;
  purpose: string;
  state: string;
  body: Bilingual;
  programId: string | null;
  sentAt: string | null;
  openedAt: string | null;
  actedAt: string | null;
}

export interface Inbox {
  unread: number;
  messages: InboxMessage[];
}

export interface CareTask {
  id: string;
  kind: string;
  title: Bilingual;
  priority: string;
  status: string;
  dueAt: string | null;
  slaDueAt: string | null;
  createdAt: string;
}

/** RFC 9457 problem details, as every API error is sent. */
export interface Problem {
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}
