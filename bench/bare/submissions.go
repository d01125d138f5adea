package bare

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"qifu/internal/form"
	"qifu/internal/store"
)

// Submissions is the bare limit of a form's submission: it decodes the
// same JSON body as POST /api/v1/surveys/{id}/submit and does one INSERT of
// the submission's row into the same store with the same durability
// settings — no session, no check of the answers, no member answered, no
// facts, no history, no audit.
type Submissions struct {
	db      *sql.DB
	insert  string
	form    int64
	version int
	by      int64
}

// OpenSubmissions opens the store at dsn as Open does, for rows of a
// form's version submitted by user by.
func OpenSubmissions(dsn string, formID int64, version int, by int64) (*Submissions, error) {
	db, err := openWriter(dsn)
	if err != nil {
		return nil, err
	}
	q := store.Rebind(dsn, `INSERT INTO form_submissions (campaign_id, enterprise_id, form_id, form_version, state, answers, channel,
		by_id, by_name, created_at, updated_at, submitted_at) VALUES (?, ?, ?, ?, 'submitted', ?, 'staff.api', ?, 'bare', ?, ?, ?)`)
	return &Submissions{db: db, insert: q, form: formID, version: version, by: by}, nil
}

// Close closes the database.
func (s *Submissions) Close() error { return s.db.Close() }

// ServeHTTP takes POST /api/v1/surveys/{campaign}/submit.
func (s *Submissions) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, _ := strings.CutPrefix(r.URL.Path, "/api/v1/surveys/")
	campaign, err := strconv.ParseInt(strings.TrimSuffix(rest, "/submit"), 10, 64)
	if err != nil {
		http.Error(w, "campaign", http.StatusBadRequest)
		return
	}
	var in struct {
		EnterpriseID int64        `json:"enterprise_id"`
		Answers      form.Answers `json:"answers"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	answers, err := json.Marshal(in.Answers)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	now := time.Now().UnixMilli()
	if _, err := s.db.ExecContext(r.Context(), s.insert, campaign, in.EnterpriseID, s.form, s.version, string(answers),
		s.by, now, now, now); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	fmt.Fprintf(w, `{"campaign":%d,"enterprise_id":%d}`, campaign, in.EnterpriseID)
}
