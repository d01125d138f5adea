-- Indexes the read paths at a city's scale need (BENCHMARKS.md, scenario 3):
-- a community's or a grid's appeals newest first without sorting them all,
-- and a step's deadline found from its appeal without reading the step.
CREATE INDEX appeals_community_time ON appeals (community_code, created_at);
CREATE INDEX appeals_grid_time ON appeals (grid_code, created_at);
CREATE INDEX appeal_steps_appeal_due ON appeal_steps (appeal_id, due_at);
DROP INDEX appeal_steps_appeal;
-- A leader's overview reads the period's appeals of a district or a street:
-- their date, category and state, from the index alone.
DROP INDEX appeals_district;
CREATE INDEX appeals_district ON appeals (district_code, created_at, category, state);
DROP INDEX appeals_street;
CREATE INDEX appeals_street ON appeals (street_code, created_at, category, state);
