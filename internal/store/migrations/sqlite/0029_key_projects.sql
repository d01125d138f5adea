-- Key projects (重点项目): an enterprise's investment the district follows,
-- with the cadre responsible for it (0 while it has none).
CREATE TABLE key_projects (
    id            INTEGER PRIMARY KEY,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    name          TEXT NOT NULL,
    stage         TEXT NOT NULL,
    investment    BIGINT NOT NULL DEFAULT 0,
    cadre_id      BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX key_projects_enterprise ON key_projects (enterprise_id);
CREATE INDEX key_projects_cadre ON key_projects (cadre_id);
