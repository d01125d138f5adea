-- Precise push (精准推送, package policy): policy documents and their
-- benefits with the conditions of eligibility (JSON, compiled by the
-- domain), the dry runs a department signs off before a benefit is
-- published, the pushes (each enterprise told once per benefit, privately),
-- the claims (applications and 免申即享 confirmations), the public notices of
-- 免申即享 lists, the credit blacklist, the innovation resources and the
-- enterprises' requests for them. The enterprise's date of registration
-- (成立日期) joins its record, for conditions that ask it.
ALTER TABLE enterprises ADD COLUMN registered_on TEXT NOT NULL DEFAULT '';
-- The re-evaluation reads the enterprises updated since its mark.
CREATE INDEX enterprises_updated ON enterprises (updated_at, id);

-- The evaluator reads the current facts of every enterprise in the order of
-- their ids: the index of current facts covers what it reads.
DROP INDEX enterprise_facts_current;
CREATE INDEX enterprise_facts_current ON enterprise_facts (enterprise_id, kind, period, rank, recorded_at, id, num, source, txt);

CREATE TABLE policies (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL,
    issuer        TEXT NOT NULL,
    doc_no        TEXT NOT NULL DEFAULT '',
    family        TEXT NOT NULL DEFAULT '',
    department_id BIGINT NOT NULL REFERENCES departments (id),
    published     TEXT NOT NULL,
    in_force      TEXT NOT NULL,
    until_day     TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL,
    created_by    BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX policies_state ON policies (state, published);

CREATE TABLE policy_benefits (
    id            INTEGER PRIMARY KEY,
    policy_id     BIGINT NOT NULL REFERENCES policies (id),
    title         TEXT NOT NULL,
    kind          TEXT NOT NULL,
    summary       TEXT NOT NULL DEFAULT '',
    conditions    TEXT NOT NULL, -- JSON: []policy.Condition
    amount        TEXT NOT NULL, -- JSON: policy.AmountRule
    department_id BIGINT NOT NULL REFERENCES departments (id),
    budget        BIGINT NOT NULL DEFAULT 0,
    opens         TEXT NOT NULL,
    closes        TEXT NOT NULL,
    mode          TEXT NOT NULL,
    materials     TEXT NOT NULL DEFAULT '[]',
    review_days   INTEGER NOT NULL,
    notice_days   INTEGER NOT NULL DEFAULT 0,
    platform      TEXT NOT NULL DEFAULT '',
    stack_group   TEXT NOT NULL DEFAULT '',
    stack         TEXT NOT NULL,
    state         TEXT NOT NULL,
    edited_by     BIGINT NOT NULL,
    edited_at     BIGINT NOT NULL,
    published_at  BIGINT NOT NULL DEFAULT 0,
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX policy_benefits_policy ON policy_benefits (policy_id);
CREATE INDEX policy_benefits_state ON policy_benefits (state, closes);

-- A dry run of one version of a benefit over every enterprise; the counts
-- and the sample are kept as the department signed them off.
CREATE TABLE policy_dryruns (
    id              INTEGER PRIMARY KEY,
    benefit_id      BIGINT NOT NULL REFERENCES policy_benefits (id),
    benefit_version BIGINT NOT NULL,
    met             INTEGER NOT NULL,
    maybe           INTEGER NOT NULL,
    not_met         INTEGER NOT NULL,
    barred          INTEGER NOT NULL,
    amount          BIGINT NOT NULL,
    by_region       TEXT NOT NULL, -- JSON
    by_condition    TEXT NOT NULL, -- JSON
    sample          TEXT NOT NULL, -- JSON
    run_by          BIGINT NOT NULL,
    run_at          BIGINT NOT NULL,
    signed_by       BIGINT NOT NULL DEFAULT 0,
    signed_name     TEXT NOT NULL DEFAULT '',
    signed_at       BIGINT NOT NULL DEFAULT 0,
    sign_note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX policy_dryruns_benefit ON policy_dryruns (benefit_id, id);

-- Each enterprise is told once per benefit it qualifies or may qualify for.
CREATE TABLE policy_pushes (
    benefit_id     BIGINT NOT NULL REFERENCES policy_benefits (id),
    enterprise_id  BIGINT NOT NULL REFERENCES enterprises (id),
    verdict        TEXT NOT NULL, -- met, maybe
    amount         BIGINT NOT NULL DEFAULT 0,
    grid_code      TEXT NOT NULL,
    community_code TEXT NOT NULL,
    street_code    TEXT NOT NULL,
    district_code  TEXT NOT NULL,
    told_at        BIGINT NOT NULL,
    told_batch     BIGINT NOT NULL DEFAULT 0, -- the telling that wrote it, for its notices
    read_at        BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (benefit_id, enterprise_id)
) WITHOUT ROWID;
CREATE INDEX policy_pushes_enterprise ON policy_pushes (enterprise_id);
CREATE INDEX policy_pushes_batch ON policy_pushes (told_batch);
-- An enterprise's accounts, for its private notices.
CREATE INDEX users_enterprise ON users (enterprise_id);

CREATE TABLE policy_notices (
    id          INTEGER PRIMARY KEY,
    benefit_id  BIGINT NOT NULL REFERENCES policy_benefits (id),
    opens       TEXT NOT NULL,
    closes      TEXT NOT NULL,
    entries     INTEGER NOT NULL,
    amount      BIGINT NOT NULL,
    created_by  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    approved_by BIGINT NOT NULL DEFAULT 0,
    approved_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX policy_notices_benefit ON policy_notices (benefit_id);

CREATE TABLE policy_claims (
    id            INTEGER PRIMARY KEY,
    benefit_id    BIGINT NOT NULL REFERENCES policy_benefits (id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    mode          TEXT NOT NULL,
    state         TEXT NOT NULL,
    materials     TEXT NOT NULL DEFAULT '[]',
    amount        BIGINT NOT NULL DEFAULT 0,
    granted       BIGINT NOT NULL DEFAULT 0,
    bank          TEXT NOT NULL DEFAULT '',
    account       TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    platform_ref  TEXT NOT NULL DEFAULT '',
    notice_id     BIGINT NOT NULL DEFAULT 0,
    due_at        BIGINT NOT NULL DEFAULT 0,
    claw_back     BIGINT NOT NULL DEFAULT 0,
    channel       TEXT NOT NULL,
    created_by    BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    decided_at    BIGINT NOT NULL DEFAULT 0,
    paid_at       BIGINT NOT NULL DEFAULT 0,
    version       BIGINT NOT NULL DEFAULT 1
);
-- One open claim per benefit and enterprise: two taps, two staff, one claim.
CREATE UNIQUE INDEX policy_claims_open ON policy_claims (benefit_id, enterprise_id)
    WHERE state NOT IN ('refused', 'withdrawn', 'declined', 'objected', 'clawed_back');
CREATE INDEX policy_claims_enterprise ON policy_claims (enterprise_id);
CREATE INDEX policy_claims_state ON policy_claims (benefit_id, state);

CREATE TABLE policy_blacklist (
    id            INTEGER PRIMARY KEY,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    reason        TEXT NOT NULL,
    department_id BIGINT NOT NULL,
    from_day      TEXT NOT NULL,
    until_day     TEXT NOT NULL DEFAULT '',
    ref           TEXT NOT NULL DEFAULT '',
    created_by    BIGINT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX policy_blacklist_enterprise ON policy_blacklist (enterprise_id);

CREATE TABLE policy_resources (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    name          TEXT NOT NULL,
    provider      TEXT NOT NULL,
    summary       TEXT NOT NULL DEFAULT '',
    industries    TEXT NOT NULL DEFAULT ',', -- ",34,35,"
    tags          TEXT NOT NULL DEFAULT ',',
    contact       TEXT NOT NULL,
    phone         TEXT NOT NULL DEFAULT '',
    terms         TEXT NOT NULL DEFAULT '',
    department_id BIGINT NOT NULL REFERENCES departments (id),
    created_by    BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE policy_requests (
    id            INTEGER PRIMARY KEY,
    resource_id   BIGINT NOT NULL REFERENCES policy_resources (id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    body          TEXT NOT NULL,
    state         TEXT NOT NULL, -- open, answered
    answer        TEXT NOT NULL DEFAULT '',
    answered_by   BIGINT NOT NULL DEFAULT 0,
    answered_at   BIGINT NOT NULL DEFAULT 0,
    created_by    BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX policy_requests_resource ON policy_requests (resource_id, state);
CREATE INDEX policy_requests_enterprise ON policy_requests (enterprise_id);

-- How far the re-evaluation of changed enterprises has read.
CREATE TABLE policy_marks (
    name  TEXT PRIMARY KEY,
    mark  BIGINT NOT NULL,
    mark2 BIGINT NOT NULL
);
INSERT INTO policy_marks (name, mark, mark2) VALUES ('facts', 0, 0), ('enterprises', 0, 0);
