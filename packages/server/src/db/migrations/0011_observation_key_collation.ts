// Every observation COPY inserts each row into two B-trees keyed by text: (member_id,
// idempotency_key) and (member_id, code, effective_at). Under the database's default collation
// (C.UTF-8 here, a locale elsewhere) each comparison goes through the locale's collation; with
// COLLATE "C" it is a memcmp. Keys and LOINC codes are identifiers, compared for equality and never
// sorted for people, so bytewise order loses nothing (decision 0008, item 11). The columns keep
// their type; the indexes are rebuilt.
export default /* sql */ `
ALTER TABLE observations ALTER COLUMN idempotency_key TYPE text COLLATE "C", ALTER COLUMN code TYPE text COLLATE "C";
`;
