-- PostgreSQL's appeal numbers move to a sequence (see its 0013). SQLite has
-- one writer and keeps the day's counter: nothing changes here.
SELECT 1;
