-- A purge of old audit entries keeps the chain verifiable: the head records
-- the last entry removed and its hash, and the chain is checked from there.
ALTER TABLE audit_head ADD COLUMN anchor_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_head ADD COLUMN anchor_hash TEXT NOT NULL DEFAULT '';
