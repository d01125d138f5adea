-- Each appeal's nearest open deadline (its unpaused open steps' earliest;
-- 2^62 when it has none), kept by the step clocks, so that a queue sorted by
-- deadline reads the page it shows instead of its whole backlog: the
-- triage queues of a community and of a grid, from their own indexes.
ALTER TABLE appeals ADD COLUMN next_due BIGINT NOT NULL DEFAULT 4611686018427387904;
UPDATE appeals SET next_due = COALESCE((SELECT MIN(st.due_at) FROM appeal_steps st
    WHERE st.appeal_id = appeals.id AND st.done_at = 0 AND st.paused_at = 0), 4611686018427387904);
CREATE INDEX appeals_triage_community ON appeals (community_code, next_due, id) WHERE state IN ('submitted', 'accepted', 'awaiting_info');
CREATE INDEX appeals_triage_grid ON appeals (grid_code, next_due, id) WHERE state IN ('submitted', 'accepted', 'awaiting_info');
