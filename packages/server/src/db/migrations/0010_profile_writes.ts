// Every ingest writes the profile state of each member it touches and the facts that changed
// (decision 0008), so what each write costs the database counts as much as the observation COPY.
// - A profile state is core's own serialisation of its incremental summaries (stateForStorage),
//   tens of kilobytes per member, that nothing reads inside: as text it is stored as sent. As json,
//   every state was validated on the way in, a quarter of the database's time outside the COPY.
// - lz4 compresses states and evidence several times faster than the default pglz (a tenth of that
//   time). Only servers built with lz4 have it, PGlite not: there the columns keep the default.
// - The foreign keys to members go, as the observations' did (0008): each checked every written row
//   with a query of its own, while every writer holds the member's row lock (ingestItems) and
//   nothing deletes members.
export default /* sql */ `
ALTER TABLE profile_states ALTER COLUMN state TYPE text;
DO $$ BEGIN ALTER TABLE profile_states ALTER COLUMN state SET COMPRESSION lz4; ALTER TABLE profile_facts ALTER COLUMN evidence SET COMPRESSION lz4; EXCEPTION WHEN feature_not_supported THEN NULL; END $$;
ALTER TABLE profile_states DROP CONSTRAINT profile_states_member_id_fkey;
ALTER TABLE profile_facts DROP CONSTRAINT profile_facts_member_id_fkey;
`;
