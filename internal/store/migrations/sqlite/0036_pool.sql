-- The employee turnover pool (员工周转池 / 共享用工, package pool): workers
-- lending enterprises offer, teams, the enterprises a lender excludes,
-- needs for hands, job seekers without an employer, loans (matches) with
-- their seals and training, each worker's placement with consent, cover,
-- attendance and return, the monthly settlement sheets, ratings and
-- complaints. The enterprises' places are read through enterprises.
CREATE TABLE pool_workers (
    id            INTEGER PRIMARY KEY,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    team_id       BIGINT NOT NULL DEFAULT 0,
    name          TEXT NOT NULL,
    phone         TEXT NOT NULL,
    id_number     TEXT NOT NULL,
    work_types    TEXT NOT NULL, -- ",welder,general,"
    certs         TEXT NOT NULL, -- JSON
    contract_end  TEXT NOT NULL,
    avail_from    TEXT NOT NULL,
    avail_to      TEXT NOT NULL,
    shift         TEXT NOT NULL,
    share_code    TEXT NOT NULL,
    status        TEXT NOT NULL,
    withdrawn_at  BIGINT NOT NULL DEFAULT 0, -- personal data erased WorkerRetention after
    created_by    BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX pool_workers_enterprise ON pool_workers (enterprise_id, status);
CREATE INDEX pool_workers_share ON pool_workers (share_code, status);
CREATE INDEX pool_workers_person ON pool_workers (id_number);
-- The figures count a period's offers, needs, teams and sheets from these
-- (a city's figures read the period's rows, not every enterprise's).
CREATE INDEX pool_workers_created ON pool_workers (created_at);
CREATE TABLE pool_teams (
    id            INTEGER PRIMARY KEY,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    name          TEXT NOT NULL,
    leader_id     BIGINT NOT NULL DEFAULT 0,
    shuttle       BOOLEAN NOT NULL,
    lodging       BOOLEAN NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX pool_teams_enterprise ON pool_teams (enterprise_id);
CREATE INDEX pool_teams_created ON pool_teams (created_at);
-- Lenders that closed or went bankrupt: their loans ended, they lend no more.
CREATE TABLE pool_closed (
    enterprise_id BIGINT PRIMARY KEY REFERENCES enterprises (id),
    reason        TEXT NOT NULL,
    closed_by     BIGINT NOT NULL,
    closed_at     BIGINT NOT NULL
);
CREATE TABLE pool_exclusions (
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    excluded_id   BIGINT NOT NULL REFERENCES enterprises (id),
    PRIMARY KEY (enterprise_id, excluded_id)
);
CREATE TABLE pool_needs (
    id            INTEGER PRIMARY KEY,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    work_type     TEXT NOT NULL,
    heads         INTEGER NOT NULL,
    taken         INTEGER NOT NULL DEFAULT 0,
    from_day      TEXT NOT NULL,
    to_day        TEXT NOT NULL,
    site          TEXT NOT NULL,
    shift         TEXT NOT NULL,
    daily_cost    INTEGER NOT NULL,
    certs         TEXT NOT NULL, -- ",welder,"
    training      TEXT NOT NULL,
    transport     BOOLEAN NOT NULL,
    lodging       BOOLEAN NOT NULL,
    needed_by     TEXT NOT NULL,
    contact       TEXT NOT NULL,
    phone         TEXT NOT NULL,
    share_code    TEXT NOT NULL,
    status        TEXT NOT NULL,
    posted_by     BIGINT NOT NULL,
    posted_at     BIGINT NOT NULL,
    first_on_site BIGINT NOT NULL DEFAULT 0,
    alerted       BOOLEAN NOT NULL DEFAULT FALSE, -- the community was told no lender was proposed in time
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX pool_needs_enterprise ON pool_needs (enterprise_id, status);
CREATE INDEX pool_needs_share ON pool_needs (share_code, status);
CREATE INDEX pool_needs_posted ON pool_needs (posted_at);
CREATE TABLE pool_seekers (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    phone          TEXT NOT NULL,
    work_types     TEXT NOT NULL,
    from_day       TEXT NOT NULL,
    wants          TEXT NOT NULL,
    community_code TEXT NOT NULL,
    street_code    TEXT NOT NULL,
    district_code  TEXT NOT NULL,
    city_code      TEXT NOT NULL,
    status         TEXT NOT NULL,
    need_id        BIGINT NOT NULL DEFAULT 0,
    placed_at      BIGINT NOT NULL DEFAULT 0,
    retain_until   TEXT NOT NULL,
    created_by     BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    version        BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX pool_seekers_community ON pool_seekers (community_code, status);
CREATE INDEX pool_seekers_retain ON pool_seekers (retain_until);
-- A loan: the community proposed a lender for a need, reserving its slots.
CREATE TABLE pool_matches (
    id                 INTEGER PRIMARY KEY,
    need_id            BIGINT NOT NULL REFERENCES pool_needs (id),
    lender_id          BIGINT NOT NULL REFERENCES enterprises (id),
    borrower_id        BIGINT NOT NULL REFERENCES enterprises (id),
    heads              INTEGER NOT NULL,
    state              TEXT NOT NULL,
    reasons            TEXT NOT NULL, -- JSON: the matcher's explanation
    proposed_by        BIGINT NOT NULL,
    proposed_at        BIGINT NOT NULL,
    chosen_at          BIGINT NOT NULL DEFAULT 0,
    lender_seal        TEXT NOT NULL DEFAULT '',
    lender_sealed_at   BIGINT NOT NULL DEFAULT 0,
    borrower_seal      TEXT NOT NULL DEFAULT '',
    borrower_sealed_at BIGINT NOT NULL DEFAULT 0,
    compensation       TEXT NOT NULL DEFAULT '',
    trained_at         BIGINT NOT NULL DEFAULT 0,
    training_note      TEXT NOT NULL DEFAULT '',
    first_on_site      BIGINT NOT NULL DEFAULT 0,
    ended_at           BIGINT NOT NULL DEFAULT 0,
    end_reason         TEXT NOT NULL DEFAULT '',
    alerted            TEXT NOT NULL DEFAULT '', -- the overdue step the community was told of, once
    version            BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX pool_matches_need ON pool_matches (need_id);
CREATE INDEX pool_matches_lender ON pool_matches (lender_id, state);
CREATE INDEX pool_matches_borrower ON pool_matches (borrower_id, state);
CREATE INDEX pool_matches_state ON pool_matches (state, proposed_at);
-- A seal is a file (a sealed scan) kept by its hash, or an e-seal's reference.
CREATE TABLE pool_seals (
    match_id   BIGINT NOT NULL REFERENCES pool_matches (id),
    party      TEXT NOT NULL, -- lender, borrower
    kind       TEXT NOT NULL, -- scan, eseal
    sha256     TEXT NOT NULL,
    name       TEXT NOT NULL,
    mime       TEXT NOT NULL,
    size       BIGINT NOT NULL,
    reference  TEXT NOT NULL,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (match_id, party)
);
CREATE TABLE pool_placements (
    id             INTEGER PRIMARY KEY,
    match_id       BIGINT NOT NULL REFERENCES pool_matches (id),
    worker_id      BIGINT NOT NULL REFERENCES pool_workers (id),
    state          TEXT NOT NULL,
    from_day       TEXT NOT NULL,
    to_day         TEXT NOT NULL,
    chosen_at      BIGINT NOT NULL,
    consented_at   BIGINT NOT NULL DEFAULT 0,
    consent_sha    TEXT NOT NULL DEFAULT '',
    answered_at    BIGINT NOT NULL DEFAULT 0,
    cover_ref      TEXT NOT NULL DEFAULT '',
    cover_until    TEXT NOT NULL DEFAULT '',
    ext_to         TEXT NOT NULL DEFAULT '', -- an extension awaiting the worker's new consent
    started_at     BIGINT NOT NULL DEFAULT 0,
    ended_at       BIGINT NOT NULL DEFAULT 0,
    end_reason     TEXT NOT NULL DEFAULT '',
    ended_by       TEXT NOT NULL DEFAULT '',
    code_hash      TEXT NOT NULL DEFAULT '',
    code_expires   BIGINT NOT NULL DEFAULT 0,
    token_hash     TEXT NOT NULL DEFAULT '',
    rating         INTEGER NOT NULL DEFAULT 0,
    rating_note    TEXT NOT NULL DEFAULT '',
    version        BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX pool_placements_match ON pool_placements (match_id);
CREATE INDEX pool_placements_worker ON pool_placements (worker_id, state);
CREATE INDEX pool_placements_token ON pool_placements (token_hash) WHERE token_hash <> '';
CREATE INDEX pool_placements_code ON pool_placements (code_hash) WHERE code_hash <> '';
-- A day a lent worker worked, as the borrower records it.
CREATE TABLE pool_attendance (
    placement_id BIGINT NOT NULL REFERENCES pool_placements (id),
    day          TEXT NOT NULL,
    recorded_by  BIGINT NOT NULL,
    recorded_at  BIGINT NOT NULL,
    PRIMARY KEY (placement_id, day)
);
CREATE TABLE pool_sheets (
    id                    INTEGER PRIMARY KEY,
    match_id              BIGINT NOT NULL REFERENCES pool_matches (id),
    month                 TEXT NOT NULL,
    lines                 TEXT NOT NULL, -- JSON
    total                 BIGINT NOT NULL,
    borrower_confirmed_at BIGINT NOT NULL DEFAULT 0,
    lender_confirmed_at   BIGINT NOT NULL DEFAULT 0,
    created_at            BIGINT NOT NULL,
    version               BIGINT NOT NULL DEFAULT 1,
    UNIQUE (match_id, month)
);
CREATE INDEX pool_sheets_month ON pool_sheets (month);
CREATE TABLE pool_ratings (
    match_id BIGINT NOT NULL REFERENCES pool_matches (id),
    party    TEXT NOT NULL, -- lender, borrower
    stars    INTEGER NOT NULL,
    note     TEXT NOT NULL,
    rated_at BIGINT NOT NULL,
    PRIMARY KEY (match_id, party)
);
CREATE TABLE pool_complaints (
    id           INTEGER PRIMARY KEY,
    placement_id BIGINT NOT NULL REFERENCES pool_placements (id),
    text         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    answer       TEXT NOT NULL DEFAULT '',
    answered_at  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX pool_complaints_placement ON pool_complaints (placement_id);
