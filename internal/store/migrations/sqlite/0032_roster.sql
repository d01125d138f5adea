-- The cadres' roster: an assignment held by a stand-in while the post is
-- empty (代管), until the organisation department names the successor;
-- and the end of a cadre's term (挂职期限, YYYY-MM-DD; '' when none set).
ALTER TABLE assignments ADD COLUMN stand_in BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN term_until TEXT NOT NULL DEFAULT '';
