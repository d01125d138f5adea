-- A password someone else set (an administrator's reset, the command line)
-- or a publicly known one (the demo's, outside demo mode) must be changed by
-- its user before anything else.
ALTER TABLE users ADD COLUMN must_change BOOLEAN NOT NULL DEFAULT FALSE;
