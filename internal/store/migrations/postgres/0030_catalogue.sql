-- The catalogue of service standards as its own module (package catalogue):
-- each standard's whole text as JSON beside the columns the appeal workflow
-- reads, its delivery mode, the dates it is in force, whether it is an
-- example shipped with the demo, and its version; every version kept, so
-- that an appeal keeps the promise it was raised under; and the directory
-- of service providers that are not departments.
ALTER TABLE service_standards ADD COLUMN body TEXT NOT NULL DEFAULT '';
ALTER TABLE service_standards ADD COLUMN mode TEXT NOT NULL DEFAULT 'onsite';
ALTER TABLE service_standards ADD COLUMN in_force_from TEXT NOT NULL DEFAULT '2026-01-01';
ALTER TABLE service_standards ADD COLUMN withdrawn_on TEXT NOT NULL DEFAULT '';
ALTER TABLE service_standards ADD COLUMN demo BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE service_standards ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE service_standards ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
CREATE TABLE service_standard_versions (
    code        TEXT NOT NULL,
    version     BIGINT NOT NULL,
    body        TEXT NOT NULL,
    category    TEXT NOT NULL,
    department  TEXT NOT NULL,
    handle_n    INTEGER NOT NULL,
    handle_days BOOLEAN NOT NULL,
    saved_at    BIGINT NOT NULL,
    saved_by    BIGINT NOT NULL,
    PRIMARY KEY (code, version)
);
INSERT INTO service_standard_versions (code, version, body, category, department, handle_n, handle_days, saved_at, saved_by)
    SELECT code, 1, '', category, department, handle_n, handle_days, 0, 0 FROM service_standards;
CREATE TABLE service_providers (
    code     TEXT PRIMARY KEY,
    kind     TEXT NOT NULL,
    name     TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    contact  TEXT NOT NULL,
    phone    TEXT NOT NULL,
    address  TEXT NOT NULL,
    demo     BOOLEAN NOT NULL DEFAULT FALSE,
    version  BIGINT NOT NULL DEFAULT 1,
    position INTEGER NOT NULL
);
-- The version of its standard an appeal was raised under (0: none, or
-- raised before versions were kept).
ALTER TABLE appeals ADD COLUMN standard_version BIGINT NOT NULL DEFAULT 0;
