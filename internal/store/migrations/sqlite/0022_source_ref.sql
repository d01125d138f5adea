-- What a connected system (role service) calls an appeal it raised — a
-- hotline's work-order number —, so that its answers can be synchronised
-- back; each system's references are unique, and '' for every other appeal.
ALTER TABLE appeals ADD COLUMN source_ref TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX appeals_source_ref ON appeals (raised_by, source_ref) WHERE source_ref <> '';
