-- The one form engine: a form and its versions. A version's definition
-- (JSON, package form) is never changed once saved: editing a form saves
-- a new version, and what was sent or filled keeps the version it had.
CREATE TABLE forms (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL,
    owner_id      BIGINT NOT NULL,
    owner_name    TEXT NOT NULL,
    region_code   TEXT NOT NULL DEFAULT '',
    department_id BIGINT NOT NULL DEFAULT 0,
    latest        INTEGER NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE TABLE form_versions (
    form_id    BIGINT NOT NULL REFERENCES forms (id) ON DELETE CASCADE,
    n          INTEGER NOT NULL,
    definition TEXT NOT NULL,
    saved_by   BIGINT NOT NULL,
    saved_name TEXT NOT NULL,
    saved_at   BIGINT NOT NULL,
    PRIMARY KEY (form_id, n)
);

-- A campaign sends a form's version to an audience (JSON, package
-- audience), frozen into its members when it starts: the denominator of
-- its rates. Its sender's scope is kept with it (region, department).
CREATE TABLE campaigns (
    id            INTEGER PRIMARY KEY,
    module        TEXT NOT NULL,
    title         TEXT NOT NULL,
    form_id       BIGINT NOT NULL,
    form_version  INTEGER NOT NULL,
    audience      TEXT NOT NULL,
    owner_id      BIGINT NOT NULL,
    owner_name    TEXT NOT NULL,
    region_code   TEXT NOT NULL DEFAULT '',
    department_id BIGINT NOT NULL DEFAULT 0,
    due           TEXT NOT NULL,
    state         TEXT NOT NULL,
    started_at    BIGINT NOT NULL,
    closed_at     BIGINT NOT NULL DEFAULT 0,
    reminded_at   BIGINT NOT NULL DEFAULT 0,
    version       BIGINT NOT NULL DEFAULT 1,
    FOREIGN KEY (form_id, form_version) REFERENCES form_versions (form_id, n)
);
CREATE INDEX campaigns_state ON campaigns (state, due);

-- A campaign's members, with where each enterprise was when the list was
-- frozen (progress is per grid, community and street), why one was added
-- or removed later (audited), and when it saw and answered.
CREATE TABLE campaign_members (
    campaign_id    BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    enterprise_id  BIGINT NOT NULL REFERENCES enterprises (id),
    grid_code      TEXT NOT NULL,
    community_code TEXT NOT NULL,
    street_code    TEXT NOT NULL,
    district_code  TEXT NOT NULL,
    city_code      TEXT NOT NULL,
    added_at       BIGINT NOT NULL,
    added_reason   TEXT NOT NULL DEFAULT '',
    removed_at     BIGINT NOT NULL DEFAULT 0,
    removed_reason TEXT NOT NULL DEFAULT '',
    seen_at        BIGINT NOT NULL DEFAULT 0,
    answered_at    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, enterprise_id)
);
CREATE INDEX campaign_members_enterprise ON campaign_members (enterprise_id, campaign_id);
CREATE INDEX campaign_members_grid ON campaign_members (grid_code, campaign_id);

-- An enterprise's answers to a campaign's form: a draft, then submitted
-- (idempotently: a retry with the same key answers the same submission),
-- then corrected within the window; every submitted state is kept in the
-- history with its channel (who filled it, on which side).
CREATE TABLE form_submissions (
    id            INTEGER PRIMARY KEY,
    campaign_id   BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    form_id       BIGINT NOT NULL,
    form_version  INTEGER NOT NULL,
    state         TEXT NOT NULL,
    answers       TEXT NOT NULL,
    channel       TEXT NOT NULL,
    by_id         BIGINT NOT NULL,
    by_name       TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    submitted_at  BIGINT NOT NULL DEFAULT 0,
    corrections   INTEGER NOT NULL DEFAULT 0,
    idem_key      TEXT NOT NULL DEFAULT '',
    version       BIGINT NOT NULL DEFAULT 1,
    UNIQUE (campaign_id, enterprise_id)
);
CREATE TABLE form_submission_history (
    submission_id BIGINT NOT NULL REFERENCES form_submissions (id) ON DELETE CASCADE,
    n             INTEGER NOT NULL,
    answers       TEXT NOT NULL,
    channel       TEXT NOT NULL,
    by_id         BIGINT NOT NULL,
    by_name       TEXT NOT NULL,
    at            BIGINT NOT NULL,
    PRIMARY KEY (submission_id, n)
);

-- The files answering a form's photo or file questions, kept in the
-- attachment folder by their hash, for the campaign and the enterprise
-- they were uploaded for; an answer names one ("file:<id>").
CREATE TABLE form_files (
    id            INTEGER PRIMARY KEY,
    campaign_id   BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    sha256        TEXT NOT NULL,
    name          TEXT NOT NULL,
    mime          TEXT NOT NULL,
    size          BIGINT NOT NULL,
    uploaded_by   BIGINT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX form_files_member ON form_files (campaign_id, enterprise_id);
CREATE INDEX form_files_sha ON form_files (sha256);

-- A notice of a module other than the appeals links to its record.
ALTER TABLE inbox ADD COLUMN href TEXT NOT NULL DEFAULT '';
