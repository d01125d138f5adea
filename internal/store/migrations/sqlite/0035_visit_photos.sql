-- A visit's photos (optional: nothing asks for them), kept in the
-- attachment folder by the hash of their content.
CREATE TABLE visit_photos (
    id         INTEGER PRIMARY KEY,
    visit_id   BIGINT NOT NULL REFERENCES visits (id),
    sha256     TEXT NOT NULL,
    name       TEXT NOT NULL,
    mime       TEXT NOT NULL,
    size       BIGINT NOT NULL,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX visit_photos_visit ON visit_photos (visit_id);
