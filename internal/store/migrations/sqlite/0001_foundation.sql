-- The foundation: places, departments, enterprises, people, sessions, audit.
-- Times are Unix milliseconds (UTC) in both stores.

CREATE TABLE regions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    parent_code TEXT REFERENCES regions (code),
    industrial  BOOLEAN NOT NULL DEFAULT FALSE,
    worker_id   INTEGER
);
CREATE INDEX regions_parent ON regions (parent_code);

CREATE TABLE departments (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    phone       TEXT NOT NULL DEFAULT ''
);

CREATE TABLE enterprises (
    id               INTEGER PRIMARY KEY,
    credit_code      TEXT NOT NULL UNIQUE,
    code_unconfirmed BOOLEAN NOT NULL DEFAULT FALSE,
    name             TEXT NOT NULL,
    legal_rep        TEXT NOT NULL DEFAULT '',
    contact          TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT '',
    address          TEXT NOT NULL DEFAULT '',
    grid_code        TEXT NOT NULL REFERENCES regions (code),
    community_code   TEXT NOT NULL,
    street_code      TEXT NOT NULL,
    district_code    TEXT NOT NULL,
    city_code        TEXT NOT NULL,
    industry         TEXT NOT NULL,
    employees        INTEGER NOT NULL DEFAULT 0,
    revenue          BIGINT NOT NULL DEFAULT 0,
    size             TEXT NOT NULL,
    foreign_trade    BOOLEAN NOT NULL DEFAULT FALSE,
    key_level        TEXT NOT NULL DEFAULT '',
    party_branch     TEXT NOT NULL DEFAULT '',
    tags             TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX enterprises_grid ON enterprises (grid_code, name);
CREATE INDEX enterprises_community ON enterprises (community_code, name);
CREATE INDEX enterprises_street ON enterprises (street_code, name);
CREATE INDEX enterprises_district ON enterprises (district_code, name);
CREATE INDEX enterprises_name ON enterprises (name);

CREATE TABLE enterprise_tags (
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    tag           TEXT NOT NULL,
    PRIMARY KEY (enterprise_id, tag)
);
CREATE INDEX enterprise_tags_tag ON enterprise_tags (tag, enterprise_id);

CREATE TABLE users (
    id                 INTEGER PRIMARY KEY,
    username           TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL,
    phone              TEXT NOT NULL DEFAULT '',
    role               TEXT NOT NULL,
    region_code        TEXT REFERENCES regions (code),
    department_id      INTEGER REFERENCES departments (id),
    enterprise_id      INTEGER REFERENCES enterprises (id),
    password_hash      TEXT NOT NULL,
    disabled           BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins      INTEGER NOT NULL DEFAULT 0,
    locked_until       BIGINT NOT NULL DEFAULT 0,
    password_changed_at BIGINT NOT NULL DEFAULT 0,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    version            BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX users_region ON users (region_code);

CREATE TABLE assignments (
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, enterprise_id)
);
CREATE INDEX assignments_enterprise ON assignments (enterprise_id);

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    last_seen   BIGINT NOT NULL,
    idle_ms     BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    client_addr TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used  BIGINT NOT NULL DEFAULT 0,
    revoked_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor_id    BIGINT NOT NULL,
    actor_name  TEXT NOT NULL,
    role        TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    result      TEXT NOT NULL,
    client_addr TEXT NOT NULL,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);

-- The head of the audit chain: one row, locked by every append.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- Leases let one of several instances run a job at a time.
CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
