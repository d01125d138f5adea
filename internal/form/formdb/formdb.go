// Package formdb keeps the one form engine's records on the store's
// engine: forms and their versions (a version no campaign has sent yet is
// edited in place; once sent, editing saves the next), and the enterprises'
// submissions to a campaign's form — drafts, an idempotent submit, the
// corrections within the window with every state kept in the history and
// the channel it came by — whose fact questions become facts of the
// enterprise's file (dossierdb.RecordTx) with the filler's source. The
// rules are package form's; who is sent what, package audiencedb's.
package formdb

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/audience/audiencedb"
	"qifu/internal/calendar"
	"qifu/internal/fault"
	"qifu/internal/form"
	"qifu/internal/place"
	"qifu/internal/store"
)

// Store is the form engine's part of the store.
type Store struct {
	engine *store.Store
}

// New builds the form engine's store on the engine, its uploaded files
// registered with the engine's backups and sweep.
func New(engine *store.Store) *Store {
	engine.Register(store.Module{Name: "forms", Files: "form_files"})
	return &Store{engine: engine}
}

// Form is a form with its latest version's definition.
type Form struct {
	ID           int64
	Title        string
	OwnerID      int64
	OwnerName    string
	RegionCode   string
	DepartmentID int64
	Latest       int // the latest version's number
	Definition   form.Definition
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Version      int64
	// Sent is whether a campaign has sent the latest version (editing then saves a new one).
	Sent bool
}

// Version is one saved version of a form.
type Version struct {
	N       int
	SavedBy string
	SavedAt time.Time
}

const formColumns = `f.id, f.title, f.owner_id, f.owner_name, f.region_code, f.department_id, f.latest,
	f.created_at, f.updated_at, f.version, v.definition,
	CASE WHEN EXISTS (SELECT 1 FROM campaigns c WHERE c.form_id = f.id AND c.form_version = f.latest) THEN 1 ELSE 0 END`

func scanForm(sc store.Scanner) (Form, error) {
	var f Form
	var created, updated int64
	var def string
	var sent int
	if err := sc.Scan(&f.ID, &f.Title, &f.OwnerID, &f.OwnerName, &f.RegionCode, &f.DepartmentID, &f.Latest,
		&created, &updated, &f.Version, &def, &sent); err != nil {
		return f, err
	}
	f.CreatedAt, f.UpdatedAt, f.Sent = store.Millis(created), store.Millis(updated), sent == 1
	return f, json.Unmarshal([]byte(def), &f.Definition)
}

// Forms lists the forms the actor may send, the latest changed first.
func (s *Store) Forms(ctx context.Context, actor access.Actor) ([]Form, error) {
	if !access.May(actor.Role, access.CampaignRun) {
		return nil, access.ErrForbidden
	}
	cond, args := formScope(actor)
	all, err := store.Collect(ctx, s.engine.Reader(), scanForm, "SELECT "+formColumns+` FROM forms f
		JOIN form_versions v ON v.form_id = f.id AND v.n = f.latest WHERE `+cond+` ORDER BY f.updated_at DESC, f.id DESC LIMIT 1000`, args...)
	if err != nil {
		return nil, fmt.Errorf("forms: %w", err)
	}
	return all, nil
}

// formScope is the condition on forms f that the actor may send and edit:
// those it made; its region's and those below it (staff above the sender's
// region use the forms made under them); its department's; an
// administrator every one.
func formScope(actor access.Actor) (string, []any) {
	switch access.ReachOf(actor.Role, access.CampaignRun) {
	case access.All:
		return "1 = 1", nil
	case access.Dispatched:
		return "(f.owner_id = ? OR (f.department_id <> 0 AND f.department_id = ?))", []any{actor.UserID, actor.DepartmentID}
	case access.Region:
		if actor.RegionCode == "" {
			return "f.owner_id = ?", []any{actor.UserID}
		}
		return `(f.owner_id = ? OR (f.department_id = 0 AND f.region_code LIKE ? ESCAPE '\'))`,
			[]any{actor.UserID, store.EscapeLike(place.Prefix(actor.RegionCode)) + "%"}
	}
	return "f.owner_id = ?", []any{actor.UserID}
}

// readForm reads a form the actor may use (formScope); one it may not is not found.
func readForm(ctx context.Context, h store.DB, actor access.Actor, id int64) (Form, error) {
	if !access.May(actor.Role, access.CampaignRun) {
		return Form{}, fault.ErrNotFound
	}
	cond, args := formScope(actor)
	list, err := store.Collect(ctx, h, scanForm, "SELECT "+formColumns+` FROM forms f
		JOIN form_versions v ON v.form_id = f.id AND v.n = f.latest WHERE f.id = ? AND `+cond, append([]any{id}, args...)...)
	if err != nil {
		return Form{}, fmt.Errorf("form: %w", err)
	}
	if len(list) == 0 {
		return Form{}, fault.ErrNotFound
	}
	return list[0], nil
}

// Form reads a form the actor may use, with its versions, the newest first.
func (s *Store) Form(ctx context.Context, actor access.Actor, id int64) (Form, []Version, error) {
	h := s.engine.Reader()
	f, err := readForm(ctx, h, actor, id)
	if err != nil {
		return f, nil, err
	}
	versions, err := store.Collect(ctx, h, func(sc store.Scanner) (Version, error) {
		var v Version
		var at int64
		err := sc.Scan(&v.N, &v.SavedBy, &at)
		v.SavedAt = store.Millis(at)
		return v, err
	}, "SELECT n, saved_name, saved_at FROM form_versions WHERE form_id = ? ORDER BY n DESC", id)
	return f, versions, err
}

// Definition reads a version of a form, whatever the actor: the caller has
// checked the actor against the campaign that sent it.
func Definition(ctx context.Context, h store.DB, id int64, n int) (form.Definition, error) {
	var def form.Definition
	var js string
	if err := store.Scan(h.Row(ctx, "SELECT definition FROM form_versions WHERE form_id = ? AND n = ?", id, n), &js); err != nil {
		return def, err
	}
	return def, json.Unmarshal([]byte(js), &def)
}

// Create saves a new form, checked (form.Definition.Check), as version 1.
func (s *Store) Create(ctx context.Context, actor access.Actor, def form.Definition) (Form, error) {
	var f Form
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		f, err = CreateTx(ctx, tx, actor, def)
		return err
	})
	return f, err
}

// CreateTx saves a new form in a module's transaction (a module that sends
// a form it builds, as a checklist campaign does).
func CreateTx(ctx context.Context, tx *store.Tx, actor access.Actor, def form.Definition) (Form, error) {
	if !access.May(actor.Role, access.CampaignRun) {
		return Form{}, access.ErrForbidden
	}
	if err := def.Check(); err != nil {
		return Form{}, err
	}
	js, err := json.Marshal(def)
	if err != nil {
		return Form{}, err
	}
	now := tx.Now().UnixMilli()
	f := Form{Title: strings.TrimSpace(def.Zh), OwnerID: actor.UserID, OwnerName: actor.Name, Latest: 1, Definition: def,
		CreatedAt: time.UnixMilli(now), UpdatedAt: time.UnixMilli(now), Version: 1}
	if access.ReachOf(actor.Role, access.CampaignRun) == access.Dispatched {
		f.DepartmentID = actor.DepartmentID
	} else {
		f.RegionCode = actor.RegionCode
	}
	if err := store.Scan(tx.DB().Row(ctx, `INSERT INTO forms (title, owner_id, owner_name, region_code, department_id, latest,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`, f.Title, f.OwnerID, f.OwnerName, f.RegionCode,
		f.DepartmentID, now, now), &f.ID); err != nil {
		return f, fmt.Errorf("create form: %w", err)
	}
	if _, err := tx.DB().Exec(ctx, `INSERT INTO form_versions (form_id, n, definition, saved_by, saved_name, saved_at)
		VALUES (?, 1, ?, ?, ?, ?)`, f.ID, string(js), actor.UserID, actor.Name, now); err != nil {
		return f, fmt.Errorf("create form: %w", err)
	}
	return f, tx.Record(ctx, actor, "form.create", fmt.Sprintf("form/%d", f.ID), "ok", map[string]any{"title": f.Title})
}

// Save saves a form's definition at version, checked: in place while no
// campaign has sent the latest version, as the next version once one has
// (what was sent and filled keeps its version). Saving what is there
// already changes nothing.
func (s *Store) Save(ctx context.Context, actor access.Actor, id, version int64, def form.Definition) (Form, error) {
	if err := def.Check(); err != nil {
		return Form{}, err
	}
	js, err := json.Marshal(def)
	if err != nil {
		return Form{}, err
	}
	var f Form
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		f, err = readForm(ctx, h, actor, id)
		if err != nil {
			return err
		}
		if f.Version != version {
			return fault.ErrConflict
		}
		if old, _ := json.Marshal(f.Definition); string(old) == string(js) {
			return nil
		}
		now := tx.Now().UnixMilli()
		if f.Sent {
			f.Latest++
			_, err = h.Exec(ctx, `INSERT INTO form_versions (form_id, n, definition, saved_by, saved_name, saved_at)
				VALUES (?, ?, ?, ?, ?, ?)`, id, f.Latest, string(js), actor.UserID, actor.Name, now)
		} else {
			_, err = h.Exec(ctx, `UPDATE form_versions SET definition = ?, saved_by = ?, saved_name = ?, saved_at = ?
				WHERE form_id = ? AND n = ?`, string(js), actor.UserID, actor.Name, now, id, f.Latest)
		}
		if err != nil {
			return fmt.Errorf("save form: %w", err)
		}
		res, err := h.Exec(ctx, `UPDATE forms SET title = ?, latest = ?, updated_at = ?, version = version + 1
			WHERE id = ? AND version = ?`, strings.TrimSpace(def.Zh), f.Latest, now, id, version)
		if err != nil {
			return fmt.Errorf("save form: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.ErrConflict
		}
		f.Title, f.Definition, f.UpdatedAt, f.Version, f.Sent = strings.TrimSpace(def.Zh), def, time.UnixMilli(now), f.Version+1, false
		return tx.Record(ctx, actor, "form.save", fmt.Sprintf("form/%d", id), "ok", map[string]any{"version": f.Latest})
	})
	return f, err
}

// Send starts a campaign of the latest version of a form the actor may
// use (audiencedb.StartTx), in one transaction.
func (s *Store) Send(ctx context.Context, actor access.Actor, formID int64, c audiencedb.Campaign) (audiencedb.Campaign, error) {
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		f, err := readForm(ctx, tx.DB(), actor, formID)
		if err != nil {
			return err
		}
		if err := sendable(f.Definition, tx.Now()); err != nil {
			return err
		}
		// The form moves on with its sending: a save racing it, which would
		// change in place the version being sent, finds itself stale.
		res, err := tx.DB().Exec(ctx, "UPDATE forms SET version = version + 1 WHERE id = ? AND version = ?", f.ID, f.Version)
		if err != nil {
			return fmt.Errorf("send form: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.ErrConflict
		}
		c.FormID, c.FormVersion = f.ID, f.Latest
		if c.Title == "" {
			c.Title = f.Title
		}
		c, err = audiencedb.StartTx(ctx, tx, actor, c)
		return err
	})
	return c, err
}

// VersionOf reads the form's version a campaign sent, for a reader of the
// campaign (as read through audiencedb.Store.Campaign).
func (s *Store) VersionOf(ctx context.Context, c audiencedb.Campaign) (form.Definition, error) {
	return Definition(ctx, s.engine.Reader(), c.FormID, c.FormVersion)
}

// sendable refuses a form that could not be answered at now: a yearly fact
// asked of a year still ahead, which every answer would fail.
func sendable(def form.Definition, now time.Time) error {
	year := strconv.Itoa(now.In(calendar.Shanghai).Year())
	f := fault.Fields{}
	for _, q := range def.Questions() {
		if q.Type == form.Fact && q.Period > year {
			f.Add(q.Key, "「"+q.Zh+"」问的是 "+q.Period+" 年，尚未到来，无法作答", "“"+q.Label().In("en")+"” asks of "+q.Period+", a year still ahead")
		}
	}
	return f.Err()
}
