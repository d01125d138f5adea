-- A notice that asks for something done is settled when it is done: the
-- "please rate" notices of an appeal once it is rated. This index finds an
-- appeal's unread notices without reading every user's inbox.
CREATE INDEX inbox_unread_appeal ON inbox (appeal_id, kind) WHERE read_at = 0;
