-- The appeal workflow: 企业呼叫 → 社区吹哨 → 部门报到 → 评价.
-- Times are Unix milliseconds (UTC); 0 means "not yet".

-- The category tree; departments is a comma-separated list of department codes.
CREATE TABLE appeal_categories (
    code        TEXT PRIMARY KEY,
    parent      TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    departments TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL
);

-- Administrators' time-limit rules; empty category, type or urgency match any.
CREATE TABLE appeal_limit_rules (
    id       INTEGER PRIMARY KEY,
    category TEXT NOT NULL DEFAULT '',
    type     TEXT NOT NULL DEFAULT '',
    urgency  TEXT NOT NULL DEFAULT '',
    step     TEXT NOT NULL,
    n        INTEGER NOT NULL CHECK (n > 0),
    days     BOOLEAN NOT NULL,
    UNIQUE (category, type, urgency, step)
);

-- Exceptions to the weekly pattern entered by administrators, on top of the
-- official calendars qifu ships.
CREATE TABLE calendar_days (
    day  TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name TEXT NOT NULL DEFAULT ''
);

-- Per-day sequence of appeal numbers.
CREATE TABLE appeal_counters (
    day TEXT PRIMARY KEY,
    n   INTEGER NOT NULL
);

CREATE TABLE appeals (
    id              INTEGER PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    channel         TEXT NOT NULL,
    type            TEXT NOT NULL,
    category        TEXT NOT NULL REFERENCES appeal_categories (code),
    standard_code   TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL,
    content         TEXT NOT NULL,
    urgency         TEXT NOT NULL,
    enterprise_id   INTEGER NOT NULL REFERENCES enterprises (id),
    contact         TEXT NOT NULL,
    phone           TEXT NOT NULL,
    confidential    BOOLEAN NOT NULL DEFAULT FALSE,
    grid_code       TEXT NOT NULL,
    community_code  TEXT NOT NULL,
    street_code     TEXT NOT NULL,
    district_code   TEXT NOT NULL,
    city_code       TEXT NOT NULL,
    state           TEXT NOT NULL,
    case_id         INTEGER REFERENCES appeals (id),
    lead_department INTEGER REFERENCES departments (id),
    result          TEXT NOT NULL DEFAULT '',
    reply           TEXT NOT NULL DEFAULT '',
    replied_at      BIGINT NOT NULL DEFAULT 0,
    rating          TEXT NOT NULL DEFAULT '',
    rating_note     TEXT NOT NULL DEFAULT '',
    rating_channel  TEXT NOT NULL DEFAULT '',
    redo_count      INTEGER NOT NULL DEFAULT 0,
    urge_count      INTEGER NOT NULL DEFAULT 0,
    return_count    INTEGER NOT NULL DEFAULT 0,
    raised_by       INTEGER NOT NULL REFERENCES users (id),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    closed_at       BIGINT NOT NULL DEFAULT 0,
    version         BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX appeals_community ON appeals (community_code, state, created_at);
CREATE INDEX appeals_street ON appeals (street_code, created_at);
CREATE INDEX appeals_district ON appeals (district_code, created_at);
CREATE INDEX appeals_enterprise ON appeals (enterprise_id, created_at);
CREATE INDEX appeals_state ON appeals (state, created_at);
CREATE INDEX appeals_case ON appeals (case_id);

-- A dispatch sends an appeal to one department: the lead (主办), an
-- assisting department (协办), or a department named in joint handling.
CREATE TABLE appeal_dispatches (
    id            INTEGER PRIMARY KEY,
    appeal_id     INTEGER NOT NULL REFERENCES appeals (id),
    department_id INTEGER NOT NULL REFERENCES departments (id),
    role          TEXT NOT NULL CHECK (role IN ('lead', 'assist', 'joint')),
    status        TEXT NOT NULL,
    instruction   TEXT NOT NULL DEFAULT '',
    due_at        BIGINT NOT NULL,
    signed_at     BIGINT NOT NULL DEFAULT 0,
    signed_by     INTEGER,
    answer        TEXT NOT NULL DEFAULT '',
    answered_at   BIGINT NOT NULL DEFAULT 0,
    reason        TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    created_by    INTEGER NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX appeal_dispatches_appeal ON appeal_dispatches (appeal_id);
CREATE INDEX appeal_dispatches_department ON appeal_dispatches (department_id, active, status);

-- The clock of each timed step. alert_at is when the scheduler must next
-- look at the step (the yellow warning, then each overdue escalation) and
-- alert_level how many alerts it has raised; a paused step keeps the working
-- time it had left in remaining_ms.
CREATE TABLE appeal_steps (
    id            INTEGER PRIMARY KEY,
    appeal_id     INTEGER NOT NULL REFERENCES appeals (id),
    step          TEXT NOT NULL,
    dispatch_id   INTEGER REFERENCES appeal_dispatches (id),
    department_id INTEGER,
    started_at    BIGINT NOT NULL,
    due_at        BIGINT NOT NULL,
    warn_at       BIGINT NOT NULL,
    done_at       BIGINT NOT NULL DEFAULT 0,
    done_by       INTEGER,
    paused_at     BIGINT NOT NULL DEFAULT 0,
    remaining_ms  BIGINT NOT NULL DEFAULT 0,
    alert_at      BIGINT NOT NULL,
    alert_level   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX appeal_steps_appeal ON appeal_steps (appeal_id);
CREATE INDEX appeal_steps_alert ON appeal_steps (alert_at) WHERE done_at = 0 AND paused_at = 0;
CREATE INDEX appeal_steps_department ON appeal_steps (department_id, due_at) WHERE done_at = 0;

-- The appeal's event log: every transition, note and alert, in order.
CREATE TABLE appeal_events (
    id            INTEGER PRIMARY KEY,
    appeal_id     INTEGER NOT NULL REFERENCES appeals (id),
    at            BIGINT NOT NULL,
    actor_id      BIGINT NOT NULL,
    actor_name    TEXT NOT NULL,
    role          TEXT NOT NULL,
    action        TEXT NOT NULL,
    from_state    TEXT NOT NULL,
    to_state      TEXT NOT NULL,
    department_id INTEGER,
    note          TEXT NOT NULL DEFAULT '',
    detail        TEXT NOT NULL DEFAULT '',
    public        BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX appeal_events_appeal ON appeal_events (appeal_id, id);
CREATE INDEX appeal_events_action ON appeal_events (action, at);

-- Extension requests (延期) of a dispatch's deadline.
CREATE TABLE appeal_extensions (
    id            INTEGER PRIMARY KEY,
    appeal_id     INTEGER NOT NULL REFERENCES appeals (id),
    dispatch_id   INTEGER NOT NULL REFERENCES appeal_dispatches (id),
    requested_by  INTEGER NOT NULL,
    requested_at  BIGINT NOT NULL,
    reason        TEXT NOT NULL,
    proposed_due  BIGINT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending',
    decided_by    INTEGER,
    decided_at    BIGINT NOT NULL DEFAULT 0,
    decision_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX appeal_extensions_appeal ON appeal_extensions (appeal_id);

-- Idempotency keys of appeal creation: a retried POST returns the first answer.
CREATE TABLE appeal_idempotency (
    user_id    INTEGER NOT NULL,
    key        TEXT NOT NULL,
    body_hash  TEXT NOT NULL,
    appeal_id  INTEGER NOT NULL REFERENCES appeals (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, key)
);

-- The in-app inbox of every user.
CREATE TABLE inbox (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at        BIGINT NOT NULL,
    appeal_id INTEGER REFERENCES appeals (id),
    kind      TEXT NOT NULL,
    title     TEXT NOT NULL,
    read_at   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX inbox_user ON inbox (user_id, id);
