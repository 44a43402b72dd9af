// Ingest-path tuning (docs/decisions/0005-ingest-path.md).
// - observations_member_indicator_time is dropped: every observation insert paid for it, and the one
//   query filtering by indicator (GET /members/:id/observations) reads a single member's rows, which
//   the primary key and observations_member_code_time already narrow to that member.
export default /* sql */ `
DROP INDEX IF EXISTS observations_member_indicator_time;
`;
