// The domain schema. `member_id` leads every hot index and primary key: it is the distribution key
// if the tables are ever sharded (Citus) and keeps each member's rows together for the profile.
export default /* sql */ `
CREATE TABLE members (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  external_ref text NOT NULL UNIQUE,
  name text NOT NULL,
  gender text NOT NULL CHECK (gender IN ('male', 'female', 'other', 'unknown')),
  birth_date date,
  time_zone text NOT NULL DEFAULT 'Asia/Shanghai',
  locale text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en')),
  channel_preferences text[] NOT NULL DEFAULT ARRAY['in-app'],
  consents jsonb NOT NULL DEFAULT '{"channels": {"in-app": true}, "marketing": false, "shareWithCareTeam": true}',
  quiet_hours jsonb,
  identifiers jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now(),
  last_interaction_at timestamptz
);

CREATE TABLE observations (
  member_id uuid NOT NULL REFERENCES members (id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  code text NOT NULL,
  indicator text,
  value double precision NOT NULL,
  unit text NOT NULL,
  original_value double precision NOT NULL,
  original_unit text NOT NULL,
  effective_at timestamptz NOT NULL,
  effective_end timestamptz,
  source_kind text NOT NULL CHECK (source_kind IN ('device', 'self', 'checkup', 'clinic')),
  source_system text NOT NULL,
  source_record_id text,
  idempotency_key text NOT NULL,
  panel_key text,
  setting text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (member_id, id),
  UNIQUE (member_id, idempotency_key)
);
CREATE INDEX observations_member_indicator_time ON observations (member_id, indicator, effective_at);
CREATE INDEX observations_member_code_time ON observations (member_id, code, effective_at);

CREATE TABLE conditions (
  member_id uuid NOT NULL REFERENCES members (id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  system text NOT NULL,
  code text NOT NULL,
  display text,
  clinical_status text,
  onset timestamptz,
  abatement timestamptz,
  source_record_id text,
  idempotency_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (member_id, id),
  UNIQUE (member_id, idempotency_key)
);

CREATE TABLE medications (
  member_id uuid NOT NULL REFERENCES members (id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  name text NOT NULL,
  code text,
  system text,
  status text NOT NULL,
  rrule text,
  dosage_text text,
  authored_on timestamptz,
  source_record_id text,
  idempotency_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (member_id, id),
  UNIQUE (member_id, idempotency_key)
);

CREATE TABLE medication_intakes (
  member_id uuid NOT NULL REFERENCES members (id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  medication_id bigint NOT NULL,
  taken_at timestamptz NOT NULL,
  idempotency_key text NOT NULL,
  PRIMARY KEY (member_id, id),
  UNIQUE (member_id, idempotency_key)
);

CREATE TABLE profile_states (
  member_id uuid PRIMARY KEY REFERENCES members (id),
  state jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE profile_facts (
  member_id uuid NOT NULL REFERENCES members (id),
  key text NOT NULL,
  kind text NOT NULL,
  value jsonb,
  unit text,
  rule_id text,
  citation text,
  evidence jsonb NOT NULL DEFAULT '[]',
  label jsonb,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (member_id, key)
);
-- Segment queries ("all members tagged hypertensive") read by key.
CREATE INDEX profile_facts_key ON profile_facts (key, member_id);

CREATE TABLE program_enrollments (
  member_id uuid NOT NULL REFERENCES members (id),
  program_id text NOT NULL,
  program_version text NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'paused', 'exited')),
  state jsonb NOT NULL DEFAULT '{}',
  enrolled_at timestamptz NOT NULL,
  exited_at timestamptz,
  exit_reason text,
  PRIMARY KEY (member_id, program_id)
);

-- Durable timers: each fires once (claimed with FOR UPDATE SKIP LOCKED, effect keyed by idempotency_key).
CREATE TABLE timers (
  member_id uuid NOT NULL REFERENCES members (id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  kind text NOT NULL,
  program_id text,
  trigger_id text,
  due_at timestamptz NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  idempotency_key text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'fired', 'cancelled')),
  fired_at timestamptz,
  PRIMARY KEY (member_id, id),
  UNIQUE (member_id, idempotency_key)
);
CREATE INDEX timers_due ON timers (due_at) WHERE status = 'pending';

-- The outbox and the contact-policy ledger in one: every message, with its state and why.
CREATE TABLE messages (
  member_id uuid NOT NULL REFERENCES members (id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  program_id text,
  step_id text,
  priority text NOT NULL CHECK (priority IN ('red-flag', 'clinical', 'care', 'engagement', 'marketing')),
  purpose text NOT NULL,
  channel text NOT NULL,
  body jsonb NOT NULL,
  dedupe_key text,
  idempotency_key text NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'deferred', 'suppressed', 'queued', 'sent', 'delivered', 'failed', 'opened', 'clicked', 'acted')),
  not_before timestamptz NOT NULL,
  reason text,
  reason_detail text,
  attempts int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  opened_at timestamptz,
  clicked_at timestamptz,
  acted_at timestamptz,
  PRIMARY KEY (member_id, id),
  UNIQUE (member_id, idempotency_key)
);
CREATE INDEX messages_due ON messages (not_before) WHERE state IN ('pending', 'deferred');
CREATE INDEX messages_member_time ON messages (member_id, created_at);

CREATE TABLE message_events (
  member_id uuid NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  message_id bigint NOT NULL,
  from_state text,
  to_state text NOT NULL,
  reason text,
  detail text,
  at timestamptz NOT NULL,
  PRIMARY KEY (member_id, id)
);

CREATE TABLE tasks (
  member_id uuid NOT NULL REFERENCES members (id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  kind text NOT NULL CHECK (kind IN ('member', 'care-team')),
  program_id text,
  step_id text,
  role text,
  title jsonb NOT NULL,
  detail jsonb,
  priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('urgent', 'high', 'normal')),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
  due_at timestamptz,
  sla_due_at timestamptz,
  points int NOT NULL DEFAULT 0,
  completed_by jsonb,
  idempotency_key text NOT NULL,
  created_at timestamptz NOT NULL,
  completed_at timestamptz,
  PRIMARY KEY (member_id, id),
  UNIQUE (member_id, idempotency_key)
);
CREATE INDEX tasks_open_sla ON tasks (sla_due_at) WHERE status = 'open' AND kind = 'care-team';

CREATE TABLE engagement_events (
  member_id uuid NOT NULL REFERENCES members (id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  kind text NOT NULL CHECK (kind IN ('app-open', 'message-opened', 'message-clicked', 'message-acted', 'task-completed', 'reading')),
  message_id bigint,
  at timestamptz NOT NULL,
  PRIMARY KEY (member_id, id)
);
CREATE INDEX engagement_events_member_time ON engagement_events (member_id, at);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  display_name text NOT NULL,
  roles text[] NOT NULL,
  member_id uuid REFERENCES members (id),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Which care-team users may see which members (a manager sees only their assigned members).
CREATE TABLE care_assignments (
  member_id uuid NOT NULL REFERENCES members (id),
  user_id uuid NOT NULL REFERENCES users (id),
  role text NOT NULL,
  PRIMARY KEY (member_id, user_id)
);
CREATE INDEX care_assignments_user ON care_assignments (user_id, member_id);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);

CREATE TABLE api_tokens (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  name text NOT NULL,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz
);

CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL,
  actor_user_id uuid,
  actor_roles text[] NOT NULL DEFAULT '{}',
  action text NOT NULL,
  member_id uuid,
  resource text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('permitted', 'denied')),
  reason text,
  request_id text
);
CREATE INDEX audit_log_member_time ON audit_log (member_id, at);
`;
