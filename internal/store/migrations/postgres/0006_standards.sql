-- The catalogue of service standards (服务标准清单): each service with its
-- responsible department and promised handling time.
CREATE TABLE service_standards (
    code        TEXT PRIMARY KEY,
    grp         TEXT NOT NULL,
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    category    TEXT NOT NULL REFERENCES appeal_categories (code),
    department  TEXT NOT NULL,
    handle_n    INTEGER NOT NULL CHECK (handle_n > 0),
    handle_days BOOLEAN NOT NULL,
    position    INTEGER NOT NULL
);
