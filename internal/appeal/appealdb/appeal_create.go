package appealdb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/calendar"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/store"
)

// Raising an appeal: validation, the idempotency key, the dated number, and
// the first entries of its timeline.

// ErrIdempotencyMismatch is the error for a reused idempotency key with a different body.
var ErrIdempotencyMismatch = fault.New(fault.Conflict, "idempotency_mismatch",
	"该幂等键已用于另一份不同的诉求", "this idempotency key was used for a different appeal")

// CreateAppeal raises an appeal for an enterprise in the actor's scope. A
// non-empty key makes the call idempotent per user: a retry with the same key
// and input returns the appeal first created (and replayed = true); the same
// key with a different input is refused.
func (s *Store) CreateAppeal(ctx context.Context, actor access.Actor, in appeal.Input, key string) (a appeal.Appeal, replayed bool, err error) {
	if !access.May(actor.Role, access.AppealCreate) {
		return a, false, access.ErrForbidden
	}
	in.Normalize()
	if in.Channel, err = appeal.ChannelFor(actor.Role, in.Channel); err != nil {
		return a, false, err
	}
	in.SourceRef = strings.TrimSpace(in.SourceRef)
	if err := appeal.CheckSourceRef(actor.Role, in.SourceRef); err != nil {
		return a, false, err
	}
	if len(key) > 100 {
		return a, false, fault.Fields{"idempotency_key": {Zh: "幂等键过长", En: "the idempotency key is too long"}}.Err()
	}
	body, _ := json.Marshal(in)
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	if key != "" {
		if a, found, err := s.replay(ctx, actor, key, hash); found || err != nil {
			return a, found, err
		}
	}
	cats, err := s.Categories(ctx)
	if err != nil {
		return a, false, err
	}
	var standardVersion int64
	if in.StandardCode != "" {
		// An appeal under a service standard falls under its category unless told otherwise.
		stds, err := s.Standards(ctx)
		if err != nil {
			return a, false, err
		}
		st, ok := stds.Find(in.StandardCode)
		if !ok {
			return a, false, fault.Fields{"standard_code": {Zh: "服务标准不存在", En: "no such service standard"}}.Err()
		}
		if !st.InForce(s.now().In(calendar.Shanghai).Format("2006-01-02")) {
			return a, false, fault.Fields{"standard_code": {Zh: "该服务标准不在有效期内（已废止或尚未生效）", En: "this service standard is not in force (withdrawn or not yet)"}}.Err()
		}
		standardVersion = st.Version
		if in.Category == "" {
			in.Category = st.Category
		}
	}
	if err := in.Validate(cats); err != nil {
		return a, false, err
	}
	cal, err := s.engine.Calendar(ctx)
	if err != nil {
		return a, false, err
	}
	now := s.now()
	var number string
	if s.engine.Postgres() {
		if number, err = s.takeNumber(ctx, now); err != nil {
			return a, false, err
		}
	}
	err = s.WithTx(ctx, func(tx *Tx) error {
		h := tx.db()
		var e enterprise.Enterprise
		err := store.Scan(h.Row(ctx, `SELECT id, name, grid_code, community_code, street_code, district_code, city_code
			FROM enterprises WHERE credit_code = ?`, in.CreditCode),
			&e.ID, &e.Name, &e.GridCode, &e.CommunityCode, &e.StreetCode, &e.DistrictCode, &e.CityCode)
		if fault.Is(err, fault.NotFound) {
			return fault.Fields{"credit_code": {Zh: "未找到该信用代码的企业", En: "no enterprise has this credit code"}}.Err()
		}
		if err != nil {
			return err
		}
		t, err := h.TargetOf(ctx, actor, e)
		if err != nil {
			return err
		}
		if !access.Allows(actor, access.AppealCreate, t) {
			return fault.Fields{"credit_code": {Zh: "未找到该信用代码的企业", En: "no enterprise has this credit code"}}.Err()
		}
		if !s.engine.Postgres() {
			if number, err = tx.takeNumber(ctx, now); err != nil {
				return err
			}
		}
		if in.SourceRef != "" {
			// A system's reference names one appeal: a second with it is the same work order sent twice.
			var number string
			err := store.Scan(h.Row(ctx, "SELECT number FROM appeals WHERE raised_by = ? AND source_ref = ?", actor.UserID, in.SourceRef), &number)
			if err == nil {
				return fault.Fields{"source_ref": {Zh: "该来源编号已登记为诉求 " + number, En: "this source reference was raised as appeal " + number}}.Err()
			} else if !fault.Is(err, fault.NotFound) {
				return err
			}
		}
		if in.About != 0 {
			// The department complained about serves the enterprise's place.
			var one int
			err := store.Scan(h.Row(ctx, `SELECT 1 FROM departments WHERE id = ? AND region_code IN (?, ?, ?)`,
				in.About, e.CityCode, e.DistrictCode, e.StreetCode), &one)
			if fault.Is(err, fault.NotFound) {
				return fault.Fields{"about_department": {Zh: "该部门不属于本辖区的服务联盟", En: "this department does not serve the enterprise's district"}}.Err()
			} else if err != nil {
				return err
			}
		}
		a = appeal.Appeal{Number: number, Channel: in.Channel, Type: in.Type, Category: in.Category, StandardCode: in.StandardCode,
			StandardVersion: standardVersion, Title: in.Title, Content: in.Content, Urgency: in.Urgency, EnterpriseID: e.ID, CreditCode: in.CreditCode,
			Enterprise: e.Name, Contact: in.Contact, Phone: in.Phone, Confidential: in.Confidential, About: in.About, SourceRef: in.SourceRef,
			GridCode: e.GridCode, State: appeal.Submitted, RaisedBy: actor.UserID, CreatedAt: time.UnixMilli(now.UnixMilli()), Version: 1}
		a.UpdatedAt = a.CreatedAt
		if err := store.Scan(h.Row(ctx, `INSERT INTO appeals (number, channel, type, category, standard_code, title, content, urgency,
			enterprise_id, contact, phone, confidential, grid_code, community_code, street_code, district_code, city_code,
			state, raised_by, created_at, updated_at, about_department, source_ref, standard_version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			a.Number, string(a.Channel), string(a.Type), a.Category, a.StandardCode, a.Title, a.Content, string(a.Urgency),
			e.ID, a.Contact, a.Phone, a.Confidential, e.GridCode, e.CommunityCode, e.StreetCode, e.DistrictCode, e.CityCode,
			string(a.State), actor.UserID, now.UnixMilli(), now.UnixMilli(), store.NullInt(a.About), a.SourceRef, a.StandardVersion), &a.ID); err != nil {
			return fmt.Errorf("insert appeal: %w", err)
		}
		if key != "" {
			if _, err := h.Exec(ctx, `INSERT INTO appeal_idempotency (user_id, key, body_hash, appeal_id, created_at)
				VALUES (?, ?, ?, ?, ?)`, actor.UserID, key, hash, a.ID, now.UnixMilli()); err != nil {
				return fmt.Errorf("idempotency key: %w", err)
			}
		}
		limits, err := h.limitsOf(ctx, a)
		if err != nil {
			return err
		}
		c := clock{cal: cal, now: now, limits: limits}
		if _, err := tx.openStep(ctx, c, a.ID, appeal.StepAccept, 0, 0, time.Time{}); err != nil {
			return err
		}
		if err := tx.event(ctx, actor, a.ID, "create", "", appeal.Submitted, 0, "", nil, true); err != nil {
			return err
		}
		if err := tx.notifyCommunity(ctx, now, a.ID, "new", "新诉求待受理："+a.Title); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "appeal.create", "appeal/"+a.Number, "ok",
			map[string]any{"enterprise": e.ID, "channel": a.Channel, "type": a.Type, "category": a.Category})
	})
	if key != "" && fault.Is(err, fault.Conflict) && fault.As(err).Code == "duplicate" {
		// Another request with the same key committed first: answer as it did.
		if a, found, rerr := s.replay(ctx, actor, key, hash); found || rerr != nil {
			return a, found, rerr
		}
	}
	return a, false, err
}

// replay returns the appeal an idempotency key already created.
func (s *Store) replay(ctx context.Context, actor access.Actor, key, hash string) (appeal.Appeal, bool, error) {
	var stored string
	var id int64
	err := store.Scan(s.reader().Row(ctx, "SELECT body_hash, appeal_id FROM appeal_idempotency WHERE user_id = ? AND key = ?",
		actor.UserID, key), &stored, &id)
	if fault.Is(err, fault.NotFound) {
		return appeal.Appeal{}, false, nil
	}
	if err != nil {
		return appeal.Appeal{}, false, err
	}
	if stored != hash {
		return appeal.Appeal{}, false, ErrIdempotencyMismatch
	}
	v, err := s.Appeal(ctx, actor, id)
	return v.Appeal, err == nil, err
}

// numberZone is the zone appeal numbers are dated in.
var numberZone = calendar.Shanghai

// Appeal numbers are readable and dated, e.g. "SQ20261130-0001". SQLite has
// one writer and counts each day's numbers in a row of appeal_counters, in
// the creating transaction: no gaps. On PostgreSQL that row would be locked
// until the creating transaction's commit, and every creation of the day
// would wait for the one before it (store.Postgres). There a number
// is a value of the sequence appeal_numbers less the day's base (the value
// before the day's first number, in appeal_number_bases), taken before the
// creating transaction: nobody waits, none is given twice, and a creation
// that fails leaves a gap.

// takeNumber takes the next appeal number of the day from the sequence (PostgreSQL).
func (s *Store) takeNumber(ctx context.Context, now time.Time) (string, error) {
	day := now.In(numberZone).Format("20060102")
	h := db{s.engine.Writer()}
	for range 3 {
		var v int64
		if err := store.Scan(h.Row(ctx, "SELECT nextval('appeal_numbers')"), &v); err != nil {
			return "", fmt.Errorf("appeal number: %w", err)
		}
		base, err := s.numberBase(ctx, h, day, v-1)
		if err != nil {
			return "", err
		}
		if v > base {
			return fmt.Sprintf("SQ%s-%04d", day, v-base), nil
		}
		// Taken before another instance set the day's base, just after
		// midnight: this value is below the day's numbers; take another.
	}
	return "", fmt.Errorf("appeal number: no value above the base of %s", day)
}

// numberBases remembers the bases of the days met (PostgreSQL).
type numberBases struct {
	mu   sync.Mutex
	base map[string]int64
}

// numberBase returns the day's base, setting it to candidate if the day has
// none yet. A day's base is set once, for every instance, and committed
// before any number uses it.
func (s *Store) numberBase(ctx context.Context, h db, day string, candidate int64) (int64, error) {
	s.bases.mu.Lock()
	defer s.bases.mu.Unlock()
	if b, ok := s.bases.base[day]; ok {
		return b, nil
	}
	var b int64
	if err := store.Scan(h.Row(ctx, `INSERT INTO appeal_number_bases (day, base) VALUES (?, ?)
		ON CONFLICT (day) DO UPDATE SET base = appeal_number_bases.base RETURNING base`, day, candidate), &b); err != nil {
		return 0, fmt.Errorf("appeal number base: %w", err)
	}
	if s.bases.base == nil || len(s.bases.base) > 7 {
		s.bases.base = map[string]int64{}
	}
	s.bases.base[day] = b
	return b, nil
}

// takeNumber takes the next appeal number of the day from the day's counter (SQLite).
func (t *Tx) takeNumber(ctx context.Context, now time.Time) (string, error) {
	day := now.In(numberZone).Format("20060102")
	var n int
	if err := store.Scan(t.db().Row(ctx, `INSERT INTO appeal_counters (day, n) VALUES (?, 1)
		ON CONFLICT (day) DO UPDATE SET n = appeal_counters.n + 1 RETURNING n`, day), &n); err != nil {
		return "", fmt.Errorf("appeal number: %w", err)
	}
	return fmt.Sprintf("SQ%s-%04d", day, n), nil
}

// event appends a line to an appeal's timeline.
func (t *Tx) event(ctx context.Context, actor access.Actor, appealID int64, action string, from, to appeal.State,
	deptID int64, note string, detail any, public bool) error {
	t.touch(appealID) // what writes an appeal's timeline may change its assessment figures
	return t.events(ctx, actor, []eventRow{{appealID: appealID, action: action, from: from, to: to, deptID: deptID,
		note: note, detail: detail}}, public)
}

// eventRow is one line of an appeal's timeline.
type eventRow struct {
	appealID, deptID int64
	action           string
	from, to         appeal.State
	note             string
	detail           any // JSON-encoded; nil for none
}

// eventRows bounds the lines of one INSERT.
const eventRows = 200

// events appends lines to the timelines of appeals, by one actor at once.
func (t *Tx) events(ctx context.Context, actor access.Actor, list []eventRow, public bool) error {
	at := t.s.now().UnixMilli()
	for batch := range slices.Chunk(list, eventRows) {
		args := make([]any, 0, 12*len(batch))
		for _, e := range batch {
			d := ""
			if e.detail != nil {
				b, err := json.Marshal(e.detail)
				if err != nil {
					return err
				}
				d = string(b)
			}
			args = append(args, e.appealID, at, actor.UserID, actor.Name, string(actor.Role), e.action, string(e.from), string(e.to),
				store.NullInt(e.deptID), e.note, d, public)
		}
		if _, err := t.db().Exec(ctx, `INSERT INTO appeal_events (appeal_id, at, actor_id, actor_name, role, action,
			from_state, to_state, department_id, note, detail, public) VALUES `+
			store.Tuples("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", len(batch)), args...); err != nil {
			return fmt.Errorf("appeal event: %w", err)
		}
	}
	return nil
}
