// Package bare is the bare limit of appeal intake, the yardstick qifu's own
// figure is divided by: an HTTP handler that decodes the same JSON body as
// POST /api/v1/appeals and does one INSERT of the same row into the same
// store with the same durability settings, and nothing else — no session,
// no validation, no scope check, no audit entry, no outbox message, no
// idempotency key, no timeline, no clock.
package bare

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver
	_ "modernc.org/sqlite"             // SQLite driver

	"qifu/internal/appeal"
	"qifu/internal/store"
)

// Target is what the inserted rows point at: an existing enterprise with
// its place, and the user who raises them.
type Target struct {
	EnterpriseID                            int64
	Grid, Community, Street, District, City string
	RaisedBy                                int64
}

// Server is the bare handler over one database.
type Server struct {
	db     *sql.DB
	insert string
	t      Target
	seq    atomic.Int64
	prefix string
}

// Open opens the store at dsn as qifu does: for SQLite, one write connection
// with WAL, synchronous=FULL and BEGIN IMMEDIATE; for PostgreSQL, a pool
// (fsync and synchronous_commit are the server's, as for qifu).
func Open(dsn string, t Target) (*Server, error) {
	db, err := openWriter(dsn)
	if err != nil {
		return nil, err
	}
	q := store.Rebind(dsn, `INSERT INTO appeals (number, channel, type, category, standard_code, title, content, urgency,
		enterprise_id, contact, phone, confidential, grid_code, community_code, street_code, district_code, city_code,
		state, raised_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?)`)
	return &Server{db: db, insert: q, t: t, prefix: fmt.Sprintf("BARE%d-", time.Now().UnixNano())}, nil
}

// openWriter opens the store at dsn as qifu writes to it — SQLite through
// one write connection, PostgreSQL through a pool of 16 — and checks that it
// answers. Every bare limit opens its store so.
func openWriter(dsn string) (*sql.DB, error) {
	driver, name, conns := "sqlite", store.SQLiteWriterDSN(dsn), 1
	if store.IsPostgres(dsn) {
		driver, name, conns = "pgx", dsn, 16
	}
	db, err := sql.Open(driver, name)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(conns)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the database.
func (s *Server) Close() error { return s.db.Close() }

// ServeHTTP takes POST /api/v1/appeals.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var in appeal.Input
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	now := time.Now().UnixMilli()
	number := s.prefix + fmt.Sprint(s.seq.Add(1))
	var id int64
	res, err := s.db.ExecContext(r.Context(), s.insert, number, in.Channel, in.Type, in.Category, in.StandardCode, in.Title,
		in.Content, "normal", s.t.EnterpriseID, in.Contact, in.Phone, in.Confidential, s.t.Grid, s.t.Community, s.t.Street,
		s.t.District, s.t.City, s.t.RaisedBy, now, now)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if res != nil {
		id, _ = res.LastInsertId()
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	fmt.Fprintf(w, `{"id":%d,"number":%q}`, id, number)
}
