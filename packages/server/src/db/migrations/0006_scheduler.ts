// Scheduler: a timer can be skipped by the missed-window policy (a morning reminder found at night),
// and every timer records what became of it, for operators.
export default /* sql */ `
ALTER TABLE timers DROP CONSTRAINT timers_status_check;
ALTER TABLE timers ADD CONSTRAINT timers_status_check
  CHECK (status IN ('pending', 'fired', 'skipped', 'cancelled'));
ALTER TABLE timers ADD COLUMN outcome text;
`;
