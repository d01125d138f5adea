-- Checklists, resumption and status reports (清单 · 复工复产 · 运行监测,
-- package resumption). A campaign of the module is a campaign of the shared
-- audiences (campaigns, campaign_members: the frozen list and its progress)
-- with the module's settings: a checklist campaign sends a checklist as a
-- form of the one form engine and may carry the restart procedure; a
-- monitoring campaign asks status reports on a schedule.
CREATE TABLE resumption_campaigns (
    campaign_id   BIGINT PRIMARY KEY REFERENCES campaigns (id),
    kind          TEXT NOT NULL,              -- checklist | monitoring
    checklist     TEXT NOT NULL DEFAULT '',   -- the checklist's key (resumption.Templates)
    schedule      TEXT NOT NULL DEFAULT '',   -- daily | weekly | monthly
    restart       TEXT NOT NULL DEFAULT '',   -- '' | approval | filing
    threshold     INTEGER NOT NULL DEFAULT 0, -- employees at or above: the command approves
    low_power     INTEGER NOT NULL DEFAULT 3000,
    high_power    INTEGER NOT NULL DEFAULT 7000,
    retain_until  TEXT NOT NULL DEFAULT '',   -- health counts are erased after this day
    purged_at     BIGINT NOT NULL DEFAULT 0,
    version       BIGINT NOT NULL DEFAULT 1
);

-- The weights of each member's rates, frozen with the list: its normal
-- output (the yearly revenue on file, yuan), its workers, industry and size.
CREATE TABLE resumption_members (
    campaign_id   BIGINT NOT NULL REFERENCES campaigns (id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    normal_output BIGINT NOT NULL,
    workers       INTEGER NOT NULL,
    industry      TEXT NOT NULL,
    size          TEXT NOT NULL,
    PRIMARY KEY (campaign_id, enterprise_id)
);

-- A status report: one per enterprise and period of the schedule (a day,
-- a week "2026-W49", a month "2026-11"); a second submission of the period
-- corrects it. A retry with the same key answers the same report.
-- Health counts are by class only and erased after the retention day.
CREATE TABLE resumption_reports (
    id            INTEGER PRIMARY KEY,
    campaign_id   BIGINT NOT NULL REFERENCES campaigns (id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    period        TEXT NOT NULL,
    resumed       BOOLEAN NOT NULL,
    since         TEXT NOT NULL DEFAULT '',
    output_share  INTEGER NOT NULL,
    on_site       INTEGER NOT NULL,
    workers       INTEGER NOT NULL,
    orders        TEXT NOT NULL DEFAULT '',
    difficulties  TEXT NOT NULL DEFAULT '',
    no_change     BOOLEAN NOT NULL DEFAULT FALSE,
    isolating     INTEGER NOT NULL DEFAULT 0,
    returned      INTEGER NOT NULL DEFAULT 0,
    planning      INTEGER NOT NULL DEFAULT 0,
    channel       TEXT NOT NULL,
    by_id         BIGINT NOT NULL,
    by_name       TEXT NOT NULL,
    at            BIGINT NOT NULL,
    idem_key      TEXT NOT NULL DEFAULT '',
    corrections   INTEGER NOT NULL DEFAULT 0,
    version       BIGINT NOT NULL DEFAULT 1,
    UNIQUE (campaign_id, enterprise_id, period)
);
CREATE INDEX resumption_reports_period ON resumption_reports (campaign_id, period);

-- The suppliers a lead firm's report names as holding it up; each becomes
-- a to-do of the supplier's own grid worker, wherever it is.
CREATE TABLE resumption_blocks (
    id            INTEGER PRIMARY KEY,
    campaign_id   BIGINT NOT NULL REFERENCES campaigns (id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    supplier_id   BIGINT NOT NULL REFERENCES enterprises (id),
    note          TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL, -- open | resolved
    answer        TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    resolved_at   BIGINT NOT NULL DEFAULT 0,
    resolved_by   TEXT NOT NULL DEFAULT '',
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX resumption_blocks_open ON resumption_blocks (campaign_id, enterprise_id, supplier_id) WHERE state = 'open';
CREATE INDEX resumption_blocks_supplier ON resumption_blocks (supplier_id, state);

-- A department's power to inspect a matter (行政检查权), with its basis.
CREATE TABLE resumption_powers (
    department_id BIGINT NOT NULL REFERENCES departments (id),
    matter        TEXT NOT NULL,
    basis         TEXT NOT NULL,
    PRIMARY KEY (department_id, matter)
);

-- An on-site check of a checklist: advice by a community or grid worker
-- (with the enterprise's consent) or an inspection by a department's staff.
CREATE TABLE resumption_checks (
    id            INTEGER PRIMARY KEY,
    campaign_id   BIGINT NOT NULL DEFAULT 0,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    checklist     TEXT NOT NULL,
    kind          TEXT NOT NULL, -- advice | inspection
    department_id BIGINT NOT NULL DEFAULT 0,
    results       TEXT NOT NULL, -- JSON: item key → done | not_done | na
    points        INTEGER NOT NULL,
    of_points     INTEGER NOT NULL,
    by_id         BIGINT NOT NULL,
    by_name       TEXT NOT NULL,
    at            BIGINT NOT NULL
);
CREATE INDEX resumption_checks_enterprise ON resumption_checks (enterprise_id, at);

-- What a check found, followed to closure: an improvement agreed with the
-- enterprise, or a rectification ordered with its legal basis and deadline.
CREATE TABLE resumption_findings (
    id            INTEGER PRIMARY KEY,
    check_id      BIGINT NOT NULL REFERENCES resumption_checks (id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    kind          TEXT NOT NULL,
    item_key      TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL,
    matter        TEXT NOT NULL DEFAULT '',
    basis         TEXT NOT NULL DEFAULT '',
    department_id BIGINT NOT NULL DEFAULT 0,
    deadline      TEXT NOT NULL,
    state         TEXT NOT NULL, -- open | closed
    closed_at     BIGINT NOT NULL DEFAULT 0,
    closed_by     TEXT NOT NULL DEFAULT '',
    recheck_note  TEXT NOT NULL DEFAULT '',
    photo_sha     TEXT NOT NULL DEFAULT '',
    appeal_id     BIGINT NOT NULL DEFAULT 0,
    escalated_at  BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX resumption_findings_enterprise ON resumption_findings (enterprise_id, state);
CREATE INDEX resumption_findings_open ON resumption_findings (state, deadline);

-- A restart application (复工申报) of a checklist campaign with the
-- restart procedure; its steps keep who did what and why.
CREATE TABLE resumption_restarts (
    id            INTEGER PRIMARY KEY,
    campaign_id   BIGINT NOT NULL REFERENCES campaigns (id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    state         TEXT NOT NULL,
    employees     INTEGER NOT NULL,
    pledge        TEXT NOT NULL,
    isolating     INTEGER NOT NULL DEFAULT 0,
    returned      INTEGER NOT NULL DEFAULT 0,
    planning      INTEGER NOT NULL DEFAULT 0,
    on_site       INTEGER NOT NULL DEFAULT 0,
    approver      TEXT NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1,
    UNIQUE (campaign_id, enterprise_id)
);
CREATE INDEX resumption_restarts_state ON resumption_restarts (campaign_id, state);
CREATE TABLE resumption_restart_steps (
    restart_id BIGINT NOT NULL REFERENCES resumption_restarts (id),
    n          INTEGER NOT NULL,
    action     TEXT NOT NULL,
    state      TEXT NOT NULL,
    by_name    TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    at         BIGINT NOT NULL,
    PRIMARY KEY (restart_id, n)
);

-- Electricity use per enterprise and month (kWh), from the power company's file.
CREATE TABLE resumption_power (
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    month         TEXT NOT NULL, -- "2026-11"
    kwh           BIGINT NOT NULL,
    imported_at   BIGINT NOT NULL,
    PRIMARY KEY (enterprise_id, month)
);

-- A report the electricity disagrees with, for a grid worker's check: one
-- per campaign, enterprise and month, open until checked.
CREATE TABLE resumption_flags (
    id            INTEGER PRIMARY KEY,
    campaign_id   BIGINT NOT NULL REFERENCES campaigns (id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    month         TEXT NOT NULL,
    mismatch      TEXT NOT NULL,
    resumed       BOOLEAN NOT NULL,
    kwh           BIGINT NOT NULL,
    baseline      BIGINT NOT NULL,
    state         TEXT NOT NULL, -- open | checked
    answer        TEXT NOT NULL DEFAULT '',
    checked_by    TEXT NOT NULL DEFAULT '',
    checked_at    BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1,
    UNIQUE (campaign_id, enterprise_id, month)
);
CREATE INDEX resumption_flags_open ON resumption_flags (state, campaign_id);

-- A street's or a community's leaders read their part of a campaign's
-- list (its rates, its non-reporters) without reading the whole list.
CREATE INDEX campaign_members_street ON campaign_members (street_code, campaign_id);
CREATE INDEX campaign_members_community ON campaign_members (community_code, campaign_id);
