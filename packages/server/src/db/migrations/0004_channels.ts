// Channels (decision 0007): where a member can be reached outside the app, and the channel outbox the
// sender works from. The in-app inbox needs no table: a message in an inbox state is in the inbox.
export default /* sql */ `
-- Addresses are personal data: stored for sending, never logged, masked when shown.
CREATE TABLE member_contacts (
  member_id uuid NOT NULL REFERENCES members (id),
  channel text NOT NULL CHECK (channel IN ('email', 'sms', 'wechat')),
  address text NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (member_id, channel)
);

-- One row per browser/device. An endpoint belongs to one member at a time: a shared device that
-- signs in as someone else moves to them, so nobody's health messages reach the previous user.
CREATE TABLE push_subscriptions (
  member_id uuid NOT NULL REFERENCES members (id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  endpoint text NOT NULL UNIQUE,
  p256dh text NOT NULL,
  auth text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (member_id, id)
);

-- The channel outbox: one row per message and outside channel. The dispatcher inserts it in the
-- caller's transaction; the sender claims due rows (FOR UPDATE SKIP LOCKED), sends outside any
-- transaction, and records the outcome in a second short one. 'sending' rows carry a lease: a
-- sender that died mid-send leaves a row another sender reclaims once the lease has passed.
CREATE TABLE message_deliveries (
  member_id uuid NOT NULL REFERENCES members (id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  message_id bigint NOT NULL,
  channel text NOT NULL CHECK (channel IN ('in-app', 'web-push', 'email', 'sms', 'wechat', 'webhook')),
  priority text NOT NULL,
  status text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'failed', 'dead')),
  attempts int NOT NULL DEFAULT 0,
  -- Operator re-drives: each starts a fresh attempt budget and a fresh provider idempotency key.
  redrives int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  lease_until timestamptz,
  -- Red flags only: the channels still to try, in order, when this one fails.
  fallback text[] NOT NULL DEFAULT '{}',
  provider_id text,
  last_error text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  sent_at timestamptz,
  delivered_at timestamptz,
  dead_at timestamptz,
  PRIMARY KEY (member_id, id),
  UNIQUE (member_id, message_id, channel)
);
CREATE UNIQUE INDEX message_deliveries_by_id ON message_deliveries (id);
CREATE INDEX message_deliveries_due ON message_deliveries (channel, next_attempt_at) WHERE status IN ('queued', 'sending');
CREATE INDEX message_deliveries_dead ON message_deliveries (dead_at) WHERE status = 'dead';
CREATE INDEX message_deliveries_provider ON message_deliveries (channel, provider_id) WHERE provider_id IS NOT NULL;

-- Every attempt, once: the key is the delivery's idempotency key plus the attempt number.
CREATE TABLE delivery_attempts (
  member_id uuid NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  delivery_id bigint NOT NULL,
  attempt int NOT NULL,
  idempotency_key text NOT NULL,
  channel text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('sent', 'retry', 'dead', 'fallback', 'failed')),
  provider_id text,
  error text,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  PRIMARY KEY (member_id, id),
  UNIQUE (member_id, idempotency_key)
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (member_id, delivery_id);
`;
