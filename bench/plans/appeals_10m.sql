-- The plan of a district's export over 10 M appeals, without making a
-- province (BENCHMARKS.md, the SQLite province's export): a table of 10 M
-- appeals with the store's schema and indexes, 87 districts, seven years
-- to 2025-12-01, ANALYZEd; then the export's statement's plan for the last
-- 30 and 180 days. Run from the repository's root, with the appeals schema
-- of any generated store:
--
--   sqlite3 STORE.db '.schema appeals' > /tmp/appeals_schema.sql
--   sqlite3 /tmp/plan10m.db < bench/plans/appeals_10m.sql
--
-- (about 5 minutes and 4 GiB). Only the appeals are filled: the steps,
-- enterprises and departments are there for the statement's joins.
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
.read /tmp/appeals_schema.sql
CREATE TABLE enterprises (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE departments (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE appeal_steps (id INTEGER PRIMARY KEY, appeal_id INTEGER, due_at BIGINT, warn_at BIGINT,
    done_at BIGINT, paused_at BIGINT, department_id INTEGER);
CREATE INDEX appeal_steps_appeal_due ON appeal_steps (appeal_id, due_at);
CREATE INDEX appeal_steps_open ON appeal_steps (appeal_id, due_at, warn_at, department_id, done_at, paused_at)
    WHERE done_at = 0 AND paused_at = 0;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000)
INSERT INTO appeals (id, number, channel, type, category, title, content, urgency, enterprise_id, contact, phone,
    grid_code, community_code, street_code, district_code, city_code, state, raised_by, created_at, updated_at)
SELECT i, 'N' || i, 'web', 'appeal', 'c' || (i % 9), 't', 'c', 'normal', i % 1000000, 'x', '1',
    printf('33%04d%03d%03d%03d', (i * 7919) % 87, (i * 31) % 10, (i * 17) % 12, (i * 13) % 10),
    printf('33%04d%03d%03d', (i * 7919) % 87, (i * 31) % 10, (i * 17) % 12),
    printf('33%04d%03d', (i * 7919) % 87, (i * 31) % 10),
    printf('33%04d', (i * 7919) % 87), '3302',
    CASE WHEN i > 9950000 THEN 'accepted' ELSE 'closed' END, 1,
    1764547200000 - (10000000 - i) * 22075, 0
FROM n;
ANALYZE;
.print 'the last 30 days:'
EXPLAIN QUERY PLAN SELECT a.id, a.number, a.title, a.type, a.category, a.urgency, a.state, e.name, COALESCE(d.name, ''),
    a.created_at, a.urge_count, a.version,
    COALESCE((SELECT MIN(st.due_at) FROM appeal_steps st WHERE st.appeal_id = a.id AND st.done_at = 0 AND st.paused_at = 0), 0),
    COALESCE((SELECT MIN(st.warn_at) FROM appeal_steps st WHERE st.appeal_id = a.id AND st.done_at = 0 AND st.paused_at = 0), 0)
FROM appeals a JOIN enterprises e ON e.id = a.enterprise_id LEFT JOIN departments d ON d.id = a.lead_department
WHERE a.id IN (SELECT a.id FROM appeals a WHERE a.district_code = '330006' AND a.district_code = '330006'
    AND a.created_at >= 1764547200000 - 30 * 86400000 ORDER BY a.created_at DESC, a.id DESC LIMIT 100000 OFFSET 0)
ORDER BY a.created_at DESC, a.id DESC;
.print 'the last 180 days:'
EXPLAIN QUERY PLAN SELECT a.id, a.number, a.title, a.type, a.category, a.urgency, a.state, e.name, COALESCE(d.name, ''),
    a.created_at, a.urge_count, a.version,
    COALESCE((SELECT MIN(st.due_at) FROM appeal_steps st WHERE st.appeal_id = a.id AND st.done_at = 0 AND st.paused_at = 0), 0),
    COALESCE((SELECT MIN(st.warn_at) FROM appeal_steps st WHERE st.appeal_id = a.id AND st.done_at = 0 AND st.paused_at = 0), 0)
FROM appeals a JOIN enterprises e ON e.id = a.enterprise_id LEFT JOIN departments d ON d.id = a.lead_department
WHERE a.id IN (SELECT a.id FROM appeals a WHERE a.district_code = '330006' AND a.district_code = '330006'
    AND a.created_at >= 1764547200000 - 180 * 86400000 ORDER BY a.created_at DESC, a.id DESC LIMIT 100000 OFFSET 0)
ORDER BY a.created_at DESC, a.id DESC;
