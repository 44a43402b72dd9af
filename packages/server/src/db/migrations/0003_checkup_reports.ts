// Checkup reports as received and as interpreted: the previous report is what "change since the
// last checkup" is measured against.
export default /* sql */ `
CREATE TABLE checkup_reports (
  member_id uuid NOT NULL REFERENCES members (id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  client_id text NOT NULL,
  report_date date,
  received_at timestamptz NOT NULL,
  format text NOT NULL,
  parsed jsonb NOT NULL,
  interpretation jsonb NOT NULL,
  PRIMARY KEY (member_id, id),
  UNIQUE (member_id, client_id)
);
CREATE INDEX checkup_reports_member_date ON checkup_reports (member_id, report_date);
`;
