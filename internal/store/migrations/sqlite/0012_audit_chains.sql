-- The audit log becomes sixty-four chains written side by side, each with a
-- head of its own, so that concurrent transactions (of one instance or of
-- several) do not all wait for the one head row. An entry keeps its place in
-- its chain (pos, what its hash covers); id is only the order entries were
-- written in. The entries so far are chain 1, in the places they had.
ALTER TABLE audit_log ADD COLUMN chain INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN pos INTEGER NOT NULL DEFAULT 0;
UPDATE audit_log SET pos = id;
CREATE UNIQUE INDEX audit_log_chain_pos ON audit_log (chain, pos);

CREATE TABLE audit_head_new (
    id          INTEGER PRIMARY KEY CHECK (id BETWEEN 1 AND 64),
    seq         BIGINT NOT NULL,
    hash        TEXT NOT NULL,
    anchor_id   BIGINT NOT NULL DEFAULT 0,
    anchor_hash TEXT NOT NULL DEFAULT ''
);
INSERT INTO audit_head_new (id, seq, hash, anchor_id, anchor_hash)
    SELECT id, seq, hash, anchor_id, anchor_hash FROM audit_head;
DROP TABLE audit_head;
ALTER TABLE audit_head_new RENAME TO audit_head;
WITH RECURSIVE g (n) AS (SELECT 2 UNION ALL SELECT n + 1 FROM g WHERE n < 64)
INSERT INTO audit_head (id, seq, hash) SELECT n, 0, '' FROM g;
