-- The organisation as it is: a department's local offices (a tax bureau's
-- 分局, market supervision's 所), each serving a street or the whole
-- district; a member of a department's staff may belong to one office;
-- a dispatch may go straight to an office; a cadre records the unit that
-- sent it (派出单位).
CREATE TABLE department_offices (
    id            INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments (id),
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    name_en       TEXT NOT NULL DEFAULT '',
    region_code   TEXT NOT NULL DEFAULT '',
    UNIQUE (department_id, code)
);
ALTER TABLE users ADD COLUMN office_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN home_unit TEXT NOT NULL DEFAULT '';
ALTER TABLE appeal_dispatches ADD COLUMN office_id BIGINT NOT NULL DEFAULT 0;
