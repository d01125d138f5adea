-- A complaint may name the department it is about: that department never
-- handles it (appeal.CheckParties); NULL for every other appeal.
ALTER TABLE appeals ADD COLUMN about_department INTEGER REFERENCES departments (id);
