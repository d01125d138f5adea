-- A list's rows show the nearest deadline of their appeal's open steps. Most
-- of a history is closed: this index holds only the open steps, with every
-- column the lists read, so a closed appeal costs one probe into a small
-- index and no step of it is read (BENCHMARKS.md, the province's export).
CREATE INDEX appeal_steps_open ON appeal_steps (appeal_id, due_at, warn_at, department_id, done_at, paused_at)
    WHERE done_at = 0 AND paused_at = 0;
