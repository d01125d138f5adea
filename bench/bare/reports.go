package bare

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"qifu/internal/calendar"
	"qifu/internal/store"
)

// Reports is the bare limit of a status report (运行情况报送): it decodes
// the same JSON body as POST /api/v1/resumption/campaigns/{id}/reports and
// keeps the report with its idempotency key in one statement — an INSERT of
// the report's row into the same store with the same durability settings,
// skipped when the enterprise's report of the day is there (a retry with
// the same key is answered 200 with it, another key 409). Nothing else: no
// session, no scope check, no membership, no validation, no campaign read,
// no member answered, no audit entry.
type Reports struct {
	db     *sql.DB
	insert string
	lookup string
	by     int64
}

// OpenReports opens the store at dsn as Open does, for reports filed by
// user by.
func OpenReports(dsn string, by int64) (*Reports, error) {
	db, err := openWriter(dsn)
	if err != nil {
		return nil, err
	}
	insert := store.Rebind(dsn, `INSERT INTO resumption_reports (campaign_id, enterprise_id, period, resumed, since, output_share, on_site, workers,
		orders, difficulties, no_change, isolating, returned, planning, channel, by_id, by_name, at, idem_key)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?, ?, 'staff.bare', ?, 'bare', ?, ?)
		ON CONFLICT (campaign_id, enterprise_id, period) DO NOTHING RETURNING id`)
	lookup := store.Rebind(dsn, `SELECT id, idem_key FROM resumption_reports WHERE campaign_id = ? AND enterprise_id = ? AND period = ?`)
	return &Reports{db: db, insert: insert, lookup: lookup, by: by}, nil
}

// Close closes the database.
func (s *Reports) Close() error { return s.db.Close() }

// reportBody is the body of a report, as qifu's API takes it.
type reportBody struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Resumed      bool   `json:"resumed"`
	Since        string `json:"since"`
	OutputShare  int    `json:"output_share"`
	OnSite       int    `json:"on_site"`
	Workers      int    `json:"workers"`
	Orders       string `json:"orders"`
	Difficulties string `json:"difficulties"`
	Isolating    int    `json:"isolating"`
	Returned     int    `json:"returned"`
	Planning     int    `json:"planning"`
}

// ServeHTTP takes POST /api/v1/resumption/campaigns/{campaign}/reports.
func (s *Reports) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, _ := strings.CutPrefix(r.URL.Path, "/api/v1/resumption/campaigns/")
	campaign, err := strconv.ParseInt(strings.TrimSuffix(rest, "/reports"), 10, 64)
	if err != nil {
		http.Error(w, "campaign", http.StatusBadRequest)
		return
	}
	var in reportBody
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	key := r.Header.Get("Idempotency-Key")
	now := time.Now()
	period := now.In(calendar.Shanghai).Format(time.DateOnly)
	code := http.StatusCreated
	var id int64
	err = s.db.QueryRowContext(r.Context(), s.insert, campaign, in.EnterpriseID, period, in.Resumed, in.Since, in.OutputShare,
		in.OnSite, in.Workers, in.Orders, in.Difficulties, in.Isolating, in.Returned, in.Planning, s.by, now.UnixMilli(), key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) { // the day's report is there: the same key's is this one's
		var kept string
		err = s.db.QueryRowContext(r.Context(), s.lookup, campaign, in.EnterpriseID, period).Scan(&id, &kept)
		if err == nil && (key == "" || kept != key) {
			http.Error(w, "reported", http.StatusConflict)
			return
		}
		code = http.StatusOK
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	fmt.Fprintf(w, `{"id":%d,"campaign_id":%d,"enterprise_id":%d,"period":%q}`, id, campaign, in.EnterpriseID, period)
}
