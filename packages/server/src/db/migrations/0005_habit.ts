// The habit loop: an append-only points ledger (the balance is derived by summing it, never stored),
// the member's active local days (for streaks), badges, the rewards catalogue and redemptions.
export default /* sql */ `
CREATE TABLE points_ledger (
  member_id uuid NOT NULL REFERENCES members (id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  idempotency_key text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('earn', 'bonus', 'redeem', 'expire')),
  points int NOT NULL CHECK (
    (kind IN ('earn', 'bonus') AND points > 0) OR (kind IN ('redeem', 'expire') AND points < 0)
  ),
  at timestamptz NOT NULL,
  reason jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (member_id, id),
  -- A retried completion or redemption finds its entry here and awards or spends nothing twice.
  UNIQUE (member_id, idempotency_key)
);

-- Append-only: corrections are new entries, never edits. (One line: migrate.ts splits at a line-final ';'.)
CREATE FUNCTION points_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'points_ledger is append-only: append a correcting entry instead'; END $$;
CREATE TRIGGER points_ledger_append_only BEFORE UPDATE OR DELETE ON points_ledger
  FOR EACH STATEMENT EXECUTE FUNCTION points_ledger_append_only();

-- One row per local day (in the member's zone at the time) with a health action: streaks read these.
CREATE TABLE habit_days (
  member_id uuid NOT NULL REFERENCES members (id),
  local_date date NOT NULL,
  time_zone text NOT NULL,
  first_at timestamptz NOT NULL,
  PRIMARY KEY (member_id, local_date)
);

-- Days with a health action before this migration (readings and completed tasks).
INSERT INTO habit_days (member_id, local_date, time_zone, first_at)
SELECT e.member_id, (e.at AT TIME ZONE m.time_zone)::date, m.time_zone, min(e.at)
  FROM engagement_events e JOIN members m ON m.id = e.member_id
 WHERE e.kind IN ('reading', 'task-completed')
 GROUP BY e.member_id, (e.at AT TIME ZONE m.time_zone)::date, m.time_zone
ON CONFLICT DO NOTHING;

CREATE TABLE member_badges (
  member_id uuid NOT NULL REFERENCES members (id),
  badge_id text NOT NULL,
  awarded_at timestamptz NOT NULL,
  PRIMARY KEY (member_id, badge_id)
);

-- Seeded from the catalogue in packages/core (habit/rewards.ts) when the API starts; operators edit here.
CREATE TABLE rewards (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('knowledge', 'professional-service', 'report')),
  title jsonb NOT NULL,
  description jsonb NOT NULL,
  cost int NOT NULL CHECK (cost > 0),
  stock int CHECK (stock IS NULL OR stock >= 0),
  limit_count int CHECK (limit_count IS NULL OR limit_count >= 1),
  limit_period text CHECK (limit_period IN ('day', 'week', 'month', 'quarter', 'year')),
  min_tier text CHECK (min_tier IN ('silver', 'gold', 'diamond')),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE redemptions (
  member_id uuid NOT NULL REFERENCES members (id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  reward_id text NOT NULL REFERENCES rewards (id),
  client_id text NOT NULL,
  points int NOT NULL,
  period_key text,
  status text NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'fulfilled', 'cancelled')),
  at timestamptz NOT NULL,
  PRIMARY KEY (member_id, id),
  UNIQUE (member_id, client_id)
);
CREATE INDEX redemptions_reward ON redemptions (reward_id) WHERE status <> 'cancelled';
`;
