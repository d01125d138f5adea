-- The audit log becomes sixty-four chains written side by side, each with a
-- head of its own, so that concurrent transactions (of one instance or of
-- several) do not all wait for the one head row. An entry keeps its place in
-- its chain (pos, what its hash covers); id is only the order entries were
-- written in. The entries so far are chain 1, in the places they had.
ALTER TABLE audit_log ADD COLUMN chain INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN pos BIGINT;
UPDATE audit_log SET pos = id;
ALTER TABLE audit_log ALTER COLUMN pos SET NOT NULL;
ALTER TABLE audit_log ALTER COLUMN chain DROP DEFAULT;
CREATE UNIQUE INDEX audit_log_chain_pos ON audit_log (chain, pos);
-- Entries were numbered by the head until now: the identity goes on after them.
SELECT setval(pg_get_serial_sequence('audit_log', 'id'), COALESCE((SELECT MAX(id) FROM audit_log), 0) + 1, false);

ALTER TABLE audit_head DROP CONSTRAINT audit_head_id_check;
ALTER TABLE audit_head ADD CONSTRAINT audit_head_id_check CHECK (id BETWEEN 1 AND 64);
INSERT INTO audit_head (id, seq, hash) SELECT g, 0, '' FROM generate_series(2, 64) AS g;
