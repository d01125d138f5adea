package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"qifu/internal/access"
	"qifu/internal/audit"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

func TestAudit(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		all := store.AuditQuery{}
		admin := s.As(t, "admin")
		ids := s.IDs(t)

		t.Run("a series of actions", func(t *testing.T) {
			before := s.AuditCount(t, all)
			if err := s.Record(ctx, admin, "test.note", "store", "ok", map[string]string{"note": "吹哨报到"}); err != nil {
				t.Fatal(err)
			}
			e, err := s.Enterprise(ctx, admin, ids[dataset.Enterprises[1].CreditCode])
			if err != nil {
				t.Fatal(err)
			}
			e.Address = "新碶街道明州路 88 号"
			if _, err := s.UpdateEnterprise(ctx, admin, e.ID, e.Version, e); err != nil {
				t.Fatal(err)
			}
			s.Login(ctx, "nobody", "x", addr, 0) // fails, and is audited
			if _, _, err := s.CreateToken(ctx, admin, "备份"); err != nil {
				t.Fatal(err)
			}
			n, err := s.VerifyAudit(ctx)
			if err != nil {
				t.Fatalf("VerifyAudit: %v", err)
			}
			if want := before + 4; n != int64(want) {
				t.Errorf("VerifyAudit checked %d entries; want %d", n, want)
			}
			list, total, err := s.AuditLog(ctx, s.As(t, "auditor"), store.AuditQuery{Page: store.Page{Size: 4}})
			if err != nil || total != int(n) || len(list) != 4 {
				t.Fatalf("AuditLog = %d of %d, %v", len(list), total, err)
			}
			wantActions := []string{"token.create", "login", "enterprise.update", "test.note"} // newest first
			for i, e := range list {
				if e.Action != wantActions[i] || e.ID != n-int64(i) {
					t.Errorf("entry %d: %d %s; want %d %s", i, e.ID, e.Action, n-int64(i), wantActions[i])
				}
			}
			if list[2].Detail == "{}" || list[2].ActorName != admin.Name {
				t.Errorf("update entry %+v: want its changes and actor", list[2])
			}
			_, _, err = s.AuditLog(ctx, admin, all)
			storetest.WantForbidden(t, err)
		})

		t.Run("concurrent writers on two instances", func(t *testing.T) {
			before, err := s.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			other := openStore(t, s.DSN, s.Clock) // a second instance on the same database
			const writers, each = 8, 5
			var wg sync.WaitGroup
			errs := make(chan error, writers*each*2)
			for w := range writers {
				st := s.Store
				if w%2 == 1 {
					st = other.Store
				}
				wg.Go(func() {
					for i := range each {
						// Each writer updates enterprises of its own, so
						// no update conflicts with another.
						id := ids[dataset.Enterprises[100+w*each+i].CreditCode]
						e, err := st.Enterprise(ctx, admin, id)
						if err != nil {
							errs <- err
							continue
						}
						e.Employees++
						if _, err := st.UpdateEnterprise(ctx, admin, id, e.Version, e); err != nil {
							errs <- fmt.Errorf("writer %d: update: %w", w, err)
						}
						if err := st.Record(ctx, admin, "test.concurrent", fmt.Sprintf("writer/%d", w), "ok", i); err != nil {
							errs <- fmt.Errorf("writer %d: record: %w", w, err)
						}
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			for name, st := range map[string]*testStore{"first": s, "second": other} {
				n, err := st.VerifyAudit(ctx)
				if err != nil {
					t.Errorf("%s instance: VerifyAudit: %v", name, err)
				}
				if want := before + writers*each*2; n != want {
					t.Errorf("%s instance: VerifyAudit checked %d entries; want %d", name, n, want)
				}
			}
		})

		t.Run("tampering", func(t *testing.T) {
			n, err := s.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			db := s.Raw(t)
			exec := func(q string) {
				t.Helper()
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			wantBreak := func(chain int, pos int64) {
				t.Helper()
				_, err := s.VerifyAudit(ctx)
				var b audit.Break
				if !errors.As(err, &b) || b.Chain != chain || b.Pos != pos {
					t.Fatalf("VerifyAudit after tampering = %v; want a break at entry %d of chain %d", err, pos, chain)
				}
			}
			var detail, actor string
			if err := db.QueryRowContext(ctx, "SELECT detail, actor_name FROM audit_log WHERE id = 3").Scan(&detail, &actor); err != nil {
				t.Fatal(err)
			}
			c2, p2 := auditPlace(t, db, 2)
			c3, p3 := auditPlace(t, db, 3)
			c5, p5 := auditPlace(t, db, 5)
			cn, pn := auditPlace(t, db, n) // the last entry, and the last of its chain
			tests := []struct {
				name            string
				tamper, restore string
				chain           int
				at              int64
			}{
				{"detail changed", `UPDATE audit_log SET detail = '{"tampered":true}' WHERE id = 3`,
					fmt.Sprintf("UPDATE audit_log SET detail = '%s' WHERE id = 3", detail), c3, p3},
				{"actor changed", "UPDATE audit_log SET actor_name = 'someone else' WHERE id = 3",
					fmt.Sprintf("UPDATE audit_log SET actor_name = '%s' WHERE id = 3", actor), c3, p3},
				{"time changed", "UPDATE audit_log SET at = at + 1 WHERE id = 2", "UPDATE audit_log SET at = at - 1 WHERE id = 2", c2, p2},
				{"renumbered", fmt.Sprintf("UPDATE audit_log SET pos = pos + %d WHERE id = 5", 1<<40),
					fmt.Sprintf("UPDATE audit_log SET pos = pos - %d WHERE id = 5", int64(1)<<40), c5, p5},
				{"moved to another chain", fmt.Sprintf("UPDATE audit_log SET chain = 99 WHERE id = %d", n),
					fmt.Sprintf("UPDATE audit_log SET chain = %d WHERE id = %d", cn, n), cn, pn},
				{"last entry changed", fmt.Sprintf("UPDATE audit_log SET result = 'denied' WHERE id = %d", n),
					fmt.Sprintf("UPDATE audit_log SET result = 'ok' WHERE id = %d", n), cn, pn},
				{"head moved back", fmt.Sprintf("UPDATE audit_head SET seq = seq - 1 WHERE id = %d", cn),
					fmt.Sprintf("UPDATE audit_head SET seq = seq + 1 WHERE id = %d", cn), cn, pn},
				{"head moved on", fmt.Sprintf("UPDATE audit_head SET seq = seq + 1 WHERE id = %d", cn),
					fmt.Sprintf("UPDATE audit_head SET seq = seq - 1 WHERE id = %d", cn), cn, pn + 1},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					exec(tt.tamper)
					wantBreak(tt.chain, tt.at)
					exec(tt.restore)
					if m, err := s.VerifyAudit(ctx); err != nil || m != n {
						t.Fatalf("VerifyAudit after restoring = %d, %v; want %d, nil", m, err, n)
					}
				})
			}
			t.Run("last entry removed", func(t *testing.T) {
				exec(fmt.Sprintf("DELETE FROM audit_log WHERE id = %d", n))
				wantBreak(cn, pn)
			})
		})
	})
}

// TestAuditOnEmptyStore checks the chain of a store that has recorded nothing,
// and one entry.
func TestAuditOnEmptyStore(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		if empty, err := s.Empty(ctx); err != nil || !empty {
			t.Errorf("Empty = %v, %v; want true", empty, err)
		}
		if n, err := s.VerifyAudit(ctx); err != nil || n != 0 {
			t.Fatalf("VerifyAudit on an empty store = %d, %v; want 0, nil", n, err)
		}
		if err := s.Record(ctx, access.System("test"), "test.first", "store", "ok", nil); err != nil {
			t.Fatal(err)
		}
		if n, err := s.VerifyAudit(ctx); err != nil || n != 1 {
			t.Fatalf("VerifyAudit after one entry = %d, %v; want 1, nil", n, err)
		}
	})
}

// TestAuditPurge checks the retention rule: a purge never removes an entry
// younger than 180 days, removes the older ones as a prefix of the chain,
// leaves a chain that verifies from its anchor, and a removal or change
// after it is still found.
func TestAuditPurge(t *testing.T) {
	if testing.Short() {
		t.Skip("a long run (12-17 s): left out of -short")
	}
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		sys := access.System("test")
		record := func(n int, what string) {
			for i := range n {
				if err := s.Record(ctx, sys, what, fmt.Sprint(i), "ok", nil); err != nil {
					t.Fatal(err)
				}
			}
		}
		record(12_000, "test.old") // more than two batches
		s.Clock.Advance(100 * 24 * time.Hour)
		record(30, "test.middle")
		s.Clock.Advance(90 * 24 * time.Hour)
		record(20, "test.young")
		now := s.Clock.Now()

		// A cut-off less than 180 days ago is refused, nothing removed.
		for _, before := range []time.Time{now, now.Add(-audit.MinRetention + time.Minute)} {
			if _, err := s.PurgeAudit(ctx, before); !errors.Is(err, store.ErrRetention) {
				t.Errorf("purge before %s: %v, want the retention refusal", before, err)
			}
		}
		if n := s.AuditCount(t, store.AuditQuery{}); n != 12_050 {
			t.Fatalf("after refused purges: %d entries, want 12050", n)
		}

		// 180 days ago lies between the old entries and the middle ones:
		// the old ones go, every younger one stays.
		removed, err := s.PurgeAudit(ctx, now.Add(-audit.MinRetention))
		if err != nil {
			t.Fatal(err)
		}
		if removed != 12_000 {
			t.Errorf("removed %d, want 12000", removed)
		}
		if n := s.AuditCount(t, store.AuditQuery{Action: "test.old"}); n != 0 {
			t.Errorf("%d old entries left", n)
		}
		for what, want := range map[string]int{"test.middle": 30, "test.young": 20, "audit.purge": 1} {
			if n := s.AuditCount(t, store.AuditQuery{Action: what}); n != want {
				t.Errorf("%s: %d entries, want %d", what, n, want)
			}
		}
		n, err := s.VerifyAudit(ctx)
		if err != nil || n != 51 {
			t.Fatalf("verify after the purge: %d, %v; want 51 entries, intact", n, err)
		}
		// Purging again to the same cut-off removes nothing.
		if removed, err := s.PurgeAudit(ctx, now.Add(-audit.MinRetention)); err != nil || removed != 0 {
			t.Errorf("second purge: %d, %v", removed, err)
		}

		// Changing a byte, or removing the first entry kept, is found.
		db := s.Raw(t)
		var first int64
		if err := db.QueryRow("SELECT MIN(id) FROM audit_log").Scan(&first); err != nil {
			t.Fatal(err)
		}
		var detail string
		if err := db.QueryRow("SELECT detail FROM audit_log WHERE id = $1", first+3).Scan(&detail); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec("UPDATE audit_log SET detail = $1 WHERE id = $2", `{"x":1}`, first+3); err != nil {
			t.Fatal(err)
		}
		var b audit.Break
		if c, p := auditPlace(t, db, first+3); !breaksAt(s, c, p, &b) {
			t.Errorf("verify after a changed entry: %v, want a break at entry %d of chain %d", b, p, c)
		}
		if _, err := db.Exec("UPDATE audit_log SET detail = $1 WHERE id = $2", detail, first+3); err != nil {
			t.Fatal(err)
		}
		c, p := auditPlace(t, db, first) // the first entry kept in its chain
		if _, err := db.Exec("DELETE FROM audit_log WHERE id = $1", first); err != nil {
			t.Fatal(err)
		}
		if !breaksAt(s, c, p, &b) {
			t.Errorf("verify after removing a kept entry: %v, want a break at entry %d of chain %d", b, p, c)
		}
	})
}

// auditPlace returns the chain and position of the audit entry with the given id.
func auditPlace(t *testing.T, db *sql.DB, id int64) (int, int64) {
	t.Helper()
	var chain int
	var pos int64
	if err := db.QueryRow("SELECT chain, pos FROM audit_log WHERE id = $1", id).Scan(&chain, &pos); err != nil {
		t.Fatalf("audit entry %d: %v", id, err)
	}
	return chain, pos
}

// breaksAt reports whether verifying the audit log finds its first break at
// entry pos of chain; b receives the break found.
func breaksAt(s *testStore, chain int, pos int64, b *audit.Break) bool {
	_, err := s.VerifyAudit(context.Background())
	return errors.As(err, b) && b.Chain == chain && b.Pos == pos
}

// TestHugePage asks every list of the engine for a page far past its end, so far that
// its offset would overflow: an empty page, never an error.
func TestHugePage(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		sys := access.System("test")
		if err := s.Record(ctx, sys, "test.page", "store", "ok", nil); err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{store.MaxPageNumber + 1, 1 << 62, -1 << 62} {
			p := store.Page{Number: n, Size: store.MaxPageSize}
			es, _, err := s.Enterprises(ctx, sys, store.EnterpriseQuery{Page: p})
			if err != nil || len(es) != 0 {
				t.Errorf("enterprises page %d: %d, %v", n, len(es), err)
			}
			us, _, err := s.Users(ctx, sys, store.UserQuery{Page: p})
			if err != nil || len(us) != 0 && n > 0 {
				t.Errorf("users page %d: %d, %v", n, len(us), err)
			}
			es2, _, err := s.AuditLog(ctx, access.Actor{Name: "test", Role: access.RoleAuditor}, store.AuditQuery{Page: p})
			if err != nil || len(es2) != 0 && n > 0 {
				t.Errorf("audit page %d: %d, %v", n, len(es2), err)
			}
		}
	})
}

// TestAuditBounded records an event whose fields someone typed at will (a
// user name of 900,000 characters, a detail of a megabyte): the entry keeps
// each field bounded, and the chain verifies.
func TestAuditBounded(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		huge := strings.Repeat("名", 900_000)
		actor := access.Actor{Name: huge, Role: access.Role(huge), Addr: huge}
		if err := s.Record(ctx, actor, "login", "user/"+huge, "failed", map[string]string{"why": strings.Repeat("x", 1<<20)}); err != nil {
			t.Fatal(err)
		}
		list, _, err := s.AuditLog(ctx, access.Actor{Name: "test", Role: access.RoleAuditor}, store.AuditQuery{Action: "login"})
		if err != nil || len(list) != 1 {
			t.Fatalf("audit log = %d entries, %v", len(list), err)
		}
		e := list[0]
		for name, v := range map[string]string{"actor": e.ActorName, "role": e.Role, "target": e.Target, "address": e.ClientAddr} {
			if n := utf8.RuneCountInString(v); n > 200 || n < 100 {
				t.Errorf("%s kept %d characters; want it cut to at most 200", name, n)
			}
		}
		if len(e.Detail) > 8<<10 || !strings.Contains(e.Detail, `"truncated":true`) {
			t.Errorf("detail of %d bytes kept: %.80s", len(e.Detail), e.Detail)
		}
		if _, err := s.VerifyAudit(ctx); err != nil {
			t.Errorf("verify: %v", err)
		}
	})
}
