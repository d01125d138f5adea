-- The assessment figures of whole months and days, and the overview's
-- counts by day, kept added up (see assess_months.go). A transaction that changes an appeal queues it in
-- assess_pending; folding takes the queue in batches, works out what each
-- appeal now adds to every row (its contribution), takes away what it added
-- when last folded (kept in assess_folded) and adds the difference.
CREATE TABLE assess_pending (
    id        INTEGER PRIMARY KEY,
    appeal_id INTEGER NOT NULL
);

CREATE TABLE assess_folded (
    appeal_id INTEGER PRIMARY KEY,
    facts     BLOB NOT NULL
);

-- One row per dimension, Shanghai month (year × 12 + month − 1), street and
-- key: the rates.Counts of the facts of that month of the street's appeals.
CREATE TABLE assess_months (
    dim              TEXT NOT NULL,
    month            INTEGER NOT NULL,
    city_code        TEXT NOT NULL,
    district_code    TEXT NOT NULL,
    street_code      TEXT NOT NULL,
    key              TEXT NOT NULL,
    appeals          INTEGER NOT NULL,
    response_due     INTEGER NOT NULL,
    response_in_time INTEGER NOT NULL,
    resolved         INTEGER NOT NULL,
    replied          INTEGER NOT NULL,
    satisfied        INTEGER NOT NULL,
    basic            INTEGER NOT NULL,
    unsatisfied      INTEGER NOT NULL,
    not_rated        INTEGER NOT NULL,
    rated            INTEGER NOT NULL,
    on_time_replies  INTEGER NOT NULL,
    handled          INTEGER NOT NULL,
    dispatches       INTEGER NOT NULL,
    returns          INTEGER NOT NULL,
    redone           INTEGER NOT NULL,
    overdue          INTEGER NOT NULL,
    handling_ms      BIGINT NOT NULL,
    PRIMARY KEY (dim, month, city_code, district_code, street_code, key)
) WITHOUT ROWID;
CREATE INDEX assess_months_district ON assess_months (dim, district_code, month);
CREATE INDEX assess_months_street ON assess_months (dim, street_code, month);

-- The same by day, per district (no street): the part months at the ends
-- of a period.
CREATE TABLE assess_days (
    dim              TEXT NOT NULL,
    day              INTEGER NOT NULL,
    city_code        TEXT NOT NULL,
    district_code    TEXT NOT NULL,
    key              TEXT NOT NULL,
    appeals          INTEGER NOT NULL,
    response_due     INTEGER NOT NULL,
    response_in_time INTEGER NOT NULL,
    resolved         INTEGER NOT NULL,
    replied          INTEGER NOT NULL,
    satisfied        INTEGER NOT NULL,
    basic            INTEGER NOT NULL,
    unsatisfied      INTEGER NOT NULL,
    not_rated        INTEGER NOT NULL,
    rated            INTEGER NOT NULL,
    on_time_replies  INTEGER NOT NULL,
    handled          INTEGER NOT NULL,
    dispatches       INTEGER NOT NULL,
    returns          INTEGER NOT NULL,
    redone           INTEGER NOT NULL,
    overdue          INTEGER NOT NULL,
    handling_ms      BIGINT NOT NULL,
    PRIMARY KEY (dim, day, city_code, district_code, key)
) WITHOUT ROWID;
CREATE INDEX assess_days_district ON assess_days (dim, district_code, day);

-- The Shanghai days (since 1970-01-01) on which each appeal has a fact: the
-- appeals a short period has to read, found without reading the others.
CREATE TABLE assess_appeal_days (
    district_code TEXT NOT NULL,
    day           INTEGER NOT NULL,
    appeal_id     INTEGER NOT NULL,
    PRIMARY KEY (district_code, day, appeal_id)
) WITHOUT ROWID;
CREATE INDEX assess_appeal_days_day ON assess_appeal_days (day);

-- A leader's overview kept the same way: the appeals of each district
-- received on each day, by top-level category and by the state they are in.
CREATE TABLE assess_overview (
    district_code TEXT NOT NULL,
    day           INTEGER NOT NULL,
    city_code     TEXT NOT NULL,
    category      TEXT NOT NULL,
    state         TEXT NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (district_code, day, city_code, category, state)
) WITHOUT ROWID;
CREATE INDEX assess_overview_day ON assess_overview (day);

-- The appeals so far are folded by the first folding.
INSERT INTO assess_pending (appeal_id) SELECT id FROM appeals;
