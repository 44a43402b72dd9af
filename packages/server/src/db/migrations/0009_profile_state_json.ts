// Profile states are written on every ingest and read back whole; nothing queries inside them. As
// json (validated, stored as sent) rather than jsonb (parsed into a binary tree) a 30 kB state costs
// PGlite about half as much to write (decision 0008). States written from now on also leave their
// facts out: those live once, in profile_facts.
export default /* sql */ `
ALTER TABLE profile_states ALTER COLUMN state TYPE json USING state::json;
`;
