package storetest

import (
	"context"
	"fmt"
	"testing"

	"qifu/internal/store"
)

// SeedCity writes a generated city for the benchmarks with a few set-based
// statements: the city 339900, 10 districts × 10 streets × 10 communities ×
// 10 grids, and n enterprises (ids 1…n) spread over the grids, in four
// industries, with employees 0–299 and a revenue of 400,000 yuan an
// employee, a fifth in foreign trade, registered 2015-06-01.
func SeedCity(tb testing.TB, ctx context.Context, st *store.Store, n int) {
	tb.Helper()
	stmts := []string{
		`INSERT INTO regions (code, name, level, parent_code) VALUES ('339900', '基准市', 1, NULL)`,
		`WITH RECURSIVE d(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i < 9)
		 INSERT INTO regions (code, name, level, parent_code) SELECT '3399' || CAST(10 + i AS TEXT), '区' || CAST(i AS TEXT), 2, '339900' FROM d`,
		`WITH RECURSIVE d(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i < 99)
		 INSERT INTO regions (code, name, level, parent_code) SELECT '3399' || CAST(10 + i % 10 AS TEXT) || '0' || CAST(10 + i / 10 AS TEXT),
		 '街道' || CAST(i AS TEXT), 3, '3399' || CAST(10 + i % 10 AS TEXT) FROM d`,
		`WITH RECURSIVE d(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i < 999)
		 INSERT INTO regions (code, name, level, parent_code, industrial) SELECT '3399' || CAST(10 + i % 10 AS TEXT) || '0' || CAST(10 + i / 10 % 10 AS TEXT) || '0' || CAST(10 + i / 100 AS TEXT),
		 '社区' || CAST(i AS TEXT), 4, '3399' || CAST(10 + i % 10 AS TEXT) || '0' || CAST(10 + i / 10 % 10 AS TEXT), TRUE FROM d`,
		`WITH RECURSIVE d(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i < 9999)
		 INSERT INTO regions (code, name, level, parent_code) SELECT '3399' || CAST(10 + i % 10 AS TEXT) || '0' || CAST(10 + i / 10 % 10 AS TEXT) || '0' || CAST(10 + i / 100 % 10 AS TEXT) || '0' || CAST(10 + i / 1000 AS TEXT),
		 '网格' || CAST(i AS TEXT), 5, '3399' || CAST(10 + i % 10 AS TEXT) || '0' || CAST(10 + i / 10 % 10 AS TEXT) || '0' || CAST(10 + i / 100 % 10 AS TEXT) FROM d`,
		`WITH RECURSIVE e(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM e WHERE i < ` + fmt.Sprint(n) + `)
		 INSERT INTO enterprises (id, credit_code, name, grid_code, community_code, street_code, district_code, city_code, industry, employees, revenue, size,
		   foreign_trade, key_level, tags, registered_on, created_at, updated_at)
		 SELECT i, '9' || CAST(10000000000000000 + i AS TEXT), '基准企业' || CAST(i AS TEXT),
		   '3399' || CAST(10 + i % 10 AS TEXT) || '0' || CAST(10 + i / 10 % 10 AS TEXT) || '0' || CAST(10 + i / 100 % 10 AS TEXT) || '0' || CAST(10 + i / 1000 % 10 AS TEXT),
		   '3399' || CAST(10 + i % 10 AS TEXT) || '0' || CAST(10 + i / 10 % 10 AS TEXT) || '0' || CAST(10 + i / 100 % 10 AS TEXT),
		   '3399' || CAST(10 + i % 10 AS TEXT) || '0' || CAST(10 + i / 10 % 10 AS TEXT),
		   '3399' || CAST(10 + i % 10 AS TEXT), '339900',
		   CASE i % 4 WHEN 0 THEN '34' WHEN 1 THEN '35' WHEN 2 THEN '29' ELSE '52' END,
		   i * 7 % 300, i * 7 % 300 * 400000,
		   CASE WHEN i * 7 % 300 >= 200 THEN 'medium' WHEN i * 7 % 300 >= 20 THEN 'small' ELSE 'micro' END,
		   i % 5 = 0, '', '', '2015-06-01', 0, 0 FROM e`,
	}
	for i, q := range stmts {
		if err := st.WithTx(ctx, func(tx *store.Tx) error {
			_, err := tx.DB().Exec(ctx, q)
			return err
		}); err != nil {
			tb.Fatalf("seed city, statement %d: %v", i, err)
		}
	}
	if st.Postgres() {
		if err := st.WithTx(ctx, func(tx *store.Tx) error {
			_, err := tx.DB().Exec(ctx, "SELECT setval(pg_get_serial_sequence('enterprises', 'id'), (SELECT MAX(id) FROM enterprises))")
			return err
		}); err != nil {
			tb.Fatal(err)
		}
	}
}
