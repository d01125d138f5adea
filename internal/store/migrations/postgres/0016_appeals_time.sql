-- Every appeal newest first, as an administrator's list shows them: read in
-- order from the index, a page at a time, instead of sorting the whole store.
CREATE INDEX appeals_time ON appeals (created_at, id);
