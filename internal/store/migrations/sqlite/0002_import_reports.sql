-- Error reports of imports, kept so that any instance can serve the download.
CREATE TABLE import_reports (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    content    BLOB NOT NULL
);
CREATE INDEX import_reports_created ON import_reports (created_at);
