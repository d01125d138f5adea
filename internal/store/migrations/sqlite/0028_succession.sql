-- A cadre's assignments have a start; those that end are kept with their
-- end, who ended them, the successor who took the enterprise on and why
-- (a cadre replaced: the organisation department's roster).
ALTER TABLE assignments ADD COLUMN started_at BIGINT NOT NULL DEFAULT 0;
CREATE TABLE assignment_history (
    id            INTEGER PRIMARY KEY,
    user_id       BIGINT NOT NULL,
    enterprise_id BIGINT NOT NULL,
    started_at    BIGINT NOT NULL,
    ended_at      BIGINT NOT NULL,
    ended_by      BIGINT NOT NULL,
    successor_id  BIGINT NOT NULL DEFAULT 0,
    reason        TEXT NOT NULL
);
CREATE INDEX assignment_history_user ON assignment_history (user_id, ended_at);
