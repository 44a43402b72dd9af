// The ingest path loads observations with COPY (decision 0008). Every index and every per-row
// trigger costs each load, so:
// - The natural key (member_id, idempotency_key) becomes the primary key, replacing the unique
//   constraint that enforced it; (member_id, code, effective_at) stays for the reads. The old primary
//   key (member_id, id) served no query, and ids still come from the identity sequence.
// - The foreign key to members goes: its per-row check was 40 % of the load's database time. Every
//   writer (ingestItems) holds the member's row lock (FOR NO KEY UPDATE) while it writes, so the
//   member exists and cannot be deleted under it; nothing deletes members.
export default /* sql */ `
ALTER TABLE observations DROP CONSTRAINT observations_pkey;
ALTER TABLE observations ADD CONSTRAINT observations_pkey PRIMARY KEY (member_id, idempotency_key);
ALTER TABLE observations DROP CONSTRAINT observations_member_id_idempotency_key_key;
ALTER TABLE observations DROP CONSTRAINT observations_member_id_fkey;
`;
