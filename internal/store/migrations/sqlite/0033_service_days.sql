-- Department service days (部门服务日 / 送服务上门): a community or street
-- invites departments and providers on a day; enterprises register the
-- problems they will bring, each for one of the departments invited; each
-- is answered on the spot or raised as an appeal dispatched to it.
CREATE TABLE service_days (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL,
    title       TEXT NOT NULL,
    held_on     TEXT NOT NULL,
    place       TEXT NOT NULL,
    departments TEXT NOT NULL,
    providers   TEXT NOT NULL,
    note        TEXT NOT NULL,
    created_by  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX service_days_region ON service_days (region_code, held_on);
CREATE TABLE service_day_problems (
    id            INTEGER PRIMARY KEY,
    day_id        BIGINT NOT NULL REFERENCES service_days (id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    text          TEXT NOT NULL,
    category      TEXT NOT NULL,
    department    TEXT NOT NULL,
    outcome       TEXT NOT NULL DEFAULT '',
    answer        TEXT NOT NULL DEFAULT '',
    appeal_id     BIGINT NOT NULL DEFAULT 0,
    registered_by BIGINT NOT NULL,
    registered_at BIGINT NOT NULL,
    handled_by    BIGINT NOT NULL DEFAULT 0,
    handled_at    BIGINT NOT NULL DEFAULT 0,
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX service_day_problems_day ON service_day_problems (day_id);
CREATE INDEX service_day_problems_enterprise ON service_day_problems (enterprise_id);
