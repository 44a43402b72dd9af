// Profile states, and the evidence and wording of facts, are written on every ingest and only ever
// read back whole: nothing queries inside them. As json (validated, stored as sent) rather than
// jsonb (parsed into a binary tree) they cost PGlite about a third less to write (decision 0008).
// Fact values stay jsonb: segment queries compare them. States written from now on also leave their
// facts out: those live once, in profile_facts.
export default /* sql */ `
ALTER TABLE profile_states ALTER COLUMN state TYPE json USING state::json;
ALTER TABLE profile_facts ALTER COLUMN evidence DROP DEFAULT;
ALTER TABLE profile_facts ALTER COLUMN evidence TYPE json USING evidence::json;
ALTER TABLE profile_facts ALTER COLUMN evidence SET DEFAULT '[]'::json;
ALTER TABLE profile_facts ALTER COLUMN label TYPE json USING label::json;
`;
