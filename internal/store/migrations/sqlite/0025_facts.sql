-- The enterprise's facts (一企一档): every value recorded, with the period
-- it is of ('2025', '2025-06-30'), its source and its authority (rank: the
-- current value of a kind and period is the highest rank's, then the
-- newest), the record it came from, who recorded it and when. Nothing is
-- overwritten: a correction is a new row.
CREATE TABLE enterprise_facts (
    id            INTEGER PRIMARY KEY,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    period        TEXT NOT NULL,
    num           BIGINT NOT NULL DEFAULT 0,
    txt           TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL,
    rank          INTEGER NOT NULL,
    ref           TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    recorded_by   BIGINT NOT NULL,
    recorded_name TEXT NOT NULL,
    recorded_at   BIGINT NOT NULL
);
CREATE INDEX enterprise_facts_current ON enterprise_facts (enterprise_id, kind, period, rank, recorded_at);
CREATE INDEX enterprise_facts_kind ON enterprise_facts (kind, period, enterprise_id);
