// The member's best send hour (local, 0–23), learned from when they open messages; the contact
// policy moves deferred care messages to it. Kept on the member row so dispatch reads no history.
export default /* sql */ `
ALTER TABLE members ADD COLUMN best_send_hour smallint CHECK (best_send_hour BETWEEN 0 AND 23);
`;
