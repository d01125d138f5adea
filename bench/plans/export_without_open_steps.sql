-- The export's statement on a generated province, timed with and without
-- migration 0018's index of the open steps (dropped inside a transaction
-- and rolled back: the store is left as it was). Without it, each row's
-- deadline is read through appeal_steps_appeal_due and the steps' rows, as
-- before the migration (BENCHMARKS.md, the province's export at 10 M).
--
--   sqlite3 /tmp/province.db < bench/plans/export_without_open_steps.sql
--
-- The district is the demo's, the period from 2026-07-01 (Asia/Shanghai),
-- as `qifubench export` chose on 2026-12-01; the statement is what
-- appealSelection.rowsSQL writes for a district leader's export.
.timer on
.output /dev/null
SELECT a.id, a.number, a.title, a.type, a.category, a.urgency, a.state, e.name, COALESCE(d.name, ''),
  a.created_at, a.urge_count, a.version,
  COALESCE((SELECT MIN(st.due_at) FROM appeal_steps st WHERE st.appeal_id = a.id AND st.done_at = 0 AND st.paused_at = 0), 4611686018427387904),
  COALESCE((SELECT MIN(st.warn_at) FROM appeal_steps st WHERE st.appeal_id = a.id AND st.done_at = 0 AND st.paused_at = 0), 4611686018427387904)
FROM appeals a JOIN enterprises e ON e.id = a.enterprise_id LEFT JOIN departments d ON d.id = a.lead_department
WHERE a.id IN (SELECT a.id FROM appeals a WHERE a.district_code = '330206' AND a.created_at >= 1782835200000
  ORDER BY a.created_at DESC, a.id DESC LIMIT 100000)
ORDER BY a.created_at DESC, a.id DESC;
BEGIN;
DROP INDEX appeal_steps_open;
SELECT a.id, a.number, a.title, a.type, a.category, a.urgency, a.state, e.name, COALESCE(d.name, ''),
  a.created_at, a.urge_count, a.version,
  COALESCE((SELECT MIN(st.due_at) FROM appeal_steps st WHERE st.appeal_id = a.id AND st.done_at = 0 AND st.paused_at = 0), 4611686018427387904),
  COALESCE((SELECT MIN(st.warn_at) FROM appeal_steps st WHERE st.appeal_id = a.id AND st.done_at = 0 AND st.paused_at = 0), 4611686018427387904)
FROM appeals a JOIN enterprises e ON e.id = a.enterprise_id LEFT JOIN departments d ON d.id = a.lead_department
WHERE a.id IN (SELECT a.id FROM appeals a WHERE a.district_code = '330206' AND a.created_at >= 1782835200000
  ORDER BY a.created_at DESC, a.id DESC LIMIT 100000)
ORDER BY a.created_at DESC, a.id DESC;
.output stdout
EXPLAIN QUERY PLAN SELECT MIN(st.due_at) FROM appeal_steps st WHERE st.appeal_id = 1 AND st.done_at = 0 AND st.paused_at = 0;
ROLLBACK;
