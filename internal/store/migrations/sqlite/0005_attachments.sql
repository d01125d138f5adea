-- Files attached to appeals; the content lives outside the database under
-- its SHA-256 (package attach).
CREATE TABLE attachments (
    id          INTEGER PRIMARY KEY,
    appeal_id   INTEGER NOT NULL REFERENCES appeals (id),
    sha256      TEXT NOT NULL,
    name        TEXT NOT NULL,
    mime        TEXT NOT NULL,
    size        BIGINT NOT NULL,
    uploaded_by INTEGER NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX attachments_appeal ON attachments (appeal_id);
CREATE INDEX attachments_sha ON attachments (sha256);
