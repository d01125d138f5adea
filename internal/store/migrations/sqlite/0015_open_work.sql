-- The work still open is a small part of a province's history: the overdue
-- steps of the overview and the overdue queue are found from the open steps
-- by deadline, from the index alone, and a region's open appeals without
-- reading its closed ones (BENCHMARKS.md, the province).
CREATE INDEX appeal_steps_overdue ON appeal_steps (due_at, appeal_id, department_id) WHERE done_at = 0 AND paused_at = 0;
CREATE INDEX appeals_open_city ON appeals (city_code) WHERE state NOT IN ('closed', 'merged');
CREATE INDEX appeals_open_district ON appeals (district_code) WHERE state NOT IN ('closed', 'merged');
CREATE INDEX appeals_open_street ON appeals (street_code) WHERE state NOT IN ('closed', 'merged');
