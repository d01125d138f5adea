-- Satisfaction at the first rating beside the final one: a redone appeal
-- was rated 不满意 first (a redo follows only that), so the kept figures
-- count the redone appeals by their final rating, from which the first
-- ratings follow (rates.Row). The appeals redone so far are folded again.
ALTER TABLE assess_months ADD COLUMN redone_satisfied INTEGER NOT NULL DEFAULT 0;
ALTER TABLE assess_months ADD COLUMN redone_basic INTEGER NOT NULL DEFAULT 0;
ALTER TABLE assess_days ADD COLUMN redone_satisfied INTEGER NOT NULL DEFAULT 0;
ALTER TABLE assess_days ADD COLUMN redone_basic INTEGER NOT NULL DEFAULT 0;
INSERT INTO assess_pending (appeal_id) SELECT id FROM appeals WHERE redo_count > 0;
