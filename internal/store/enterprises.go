package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/place"
)

const enterpriseColumns = `e.id, e.credit_code, e.code_unconfirmed, e.name, e.legal_rep, e.contact, e.phone, e.address,
	e.grid_code, e.community_code, e.street_code, e.district_code, e.city_code, e.industry, e.employees, e.revenue,
	e.size, e.foreign_trade, e.key_level, e.party_branch, e.tags, e.created_at, e.updated_at, e.version`

func scanEnterprise(sc interface{ Scan(...any) error }) (enterprise.Enterprise, error) {
	var e enterprise.Enterprise
	var tags string
	var created, updated int64
	err := sc.Scan(&e.ID, &e.CreditCode, &e.CodeUnconfirmed, &e.Name, &e.LegalRep, &e.Contact, &e.Phone, &e.Address,
		&e.GridCode, &e.CommunityCode, &e.StreetCode, &e.DistrictCode, &e.CityCode, &e.Industry, &e.Employees, &e.Revenue,
		&e.Size, &e.ForeignTrade, &e.KeyLevel, &e.PartyBranch, &tags, &created, &updated, &e.Version)
	if tags != "" {
		e.Tags = strings.Split(tags, ",")
	}
	e.CreatedAt, e.UpdatedAt = time.UnixMilli(created), time.UnixMilli(updated)
	return e, err
}

// ancestryOf returns where an enterprise is.
func ancestryOf(e enterprise.Enterprise) place.Ancestry {
	return place.Ancestry{City: e.CityCode, District: e.DistrictCode, Street: e.StreetCode,
		Community: e.CommunityCode, Grid: e.GridCode}
}

// targetOf returns what the policy needs to know of an enterprise for actor.
func (h DB) TargetOf(ctx context.Context, actor access.Actor, e enterprise.Enterprise) (access.Target, error) {
	t := access.Target{Place: ancestryOf(e), EnterpriseID: e.ID}
	if actor.Role == access.RoleCadre && e.ID != 0 {
		var n int
		if err := Scan(h.Row(ctx, "SELECT COUNT(*) FROM assignments WHERE user_id = ? AND enterprise_id = ?",
			actor.UserID, e.ID), &n); err != nil {
			return t, err
		}
		t.Assigned = n > 0
	}
	return t, nil
}

// EnterpriseMay is what an actor may do with one enterprise.
type EnterpriseMay struct {
	Update      bool // change its record
	Reveal      bool // see its contact details in full (audited)
	RaiseAppeal bool // raise an appeal for it
	RecordVisit bool // record a visit to it
}

// MayOnEnterprise works out what actor may do with e (as read through
// Enterprise): from the actor's scope and, for a stationed cadre, its
// assignments. Pages show only the actions it allows; each use case checks
// again.
func (s *Store) MayOnEnterprise(ctx context.Context, actor access.Actor, e enterprise.Enterprise) (EnterpriseMay, error) {
	t, err := s.Reader().TargetOf(ctx, actor, e)
	if err != nil {
		return EnterpriseMay{}, err
	}
	return EnterpriseMay{Update: access.Allows(actor, access.EnterpriseUpdate, t),
		Reveal: access.Allows(actor, access.PersonalView, t), RaiseAppeal: access.Allows(actor, access.AppealCreate, t),
		RecordVisit: access.Allows(actor, access.VisitRecord, t)}, nil
}

// levelColumn is the enterprises column holding the code of each level.
var levelColumn = map[place.Level]string{
	place.City: "e.city_code", place.District: "e.district_code", place.Street: "e.street_code",
	place.Community: "e.community_code", place.Grid: "e.grid_code",
}

// scopeSQL turns an access filter into a condition on enterprises e.
func scopeSQL(f access.Filter) (string, []any) {
	switch f.Reach {
	case access.All:
		return "1 = 1", nil
	case access.Region:
		return levelColumn[f.Level] + " = ?", []any{f.Code}
	case access.Own:
		return "e.id = ?", []any{f.EnterpriseID}
	case access.Assigned:
		return "e.id IN (SELECT enterprise_id FROM assignments WHERE user_id = ?)", []any{f.UserID}
	}
	return "1 = 0", nil
}

// EnterpriseScope is the condition on enterprises e that the actor may
// take action on, for a module's query over them.
func EnterpriseScope(actor access.Actor, action access.Action) (string, []any) {
	return scopeSQL(access.FilterFor(actor, action))
}

// EnterpriseScopeAs is EnterpriseScope on enterprises named alias, for a
// query that joins the enterprises table twice (a lead firm and its supplier).
func EnterpriseScopeAs(alias string, actor access.Actor, action access.Action) (string, []any) {
	cond, args := scopeSQL(access.FilterFor(actor, action))
	return strings.ReplaceAll(cond, "e.", alias+"."), args
}

// EnterpriseQuery selects enterprises in a list, a count or an export.
type EnterpriseQuery struct {
	Region       string // any region code: the enterprises under it
	Industry     string // a division code ("34") or a section letter ("C")
	Size         enterprise.SizeClass
	KeyLevel     string // "city", "district", "any"
	ForeignTrade string // "yes", "no", or ""
	Tag          string
	Text         string // part of the name, or the start of the credit code
	Unconfirmed  bool   // only codes awaiting confirmation
	Page         Page
}

func (q EnterpriseQuery) where(actor access.Actor, action access.Action) (string, []any) {
	cond, args := scopeSQL(access.FilterFor(actor, action))
	w := []string{cond}
	if q.Region != "" {
		if l := place.LevelOf(q.Region); l != 0 {
			w = append(w, levelColumn[l]+" = ?")
			args = append(args, q.Region)
		} else {
			w = append(w, "1 = 0")
		}
	}
	if len(q.Industry) == 1 {
		var codes []string
		for _, d := range enterprise.AllDivisions() {
			if d.Section == q.Industry {
				codes = append(codes, d.Code)
			}
		}
		if len(codes) == 0 {
			w = append(w, "1 = 0")
		} else {
			w = append(w, "e.industry IN ("+strings.Repeat("?, ", len(codes)-1)+"?)")
			for _, c := range codes {
				args = append(args, c)
			}
		}
	} else if q.Industry != "" {
		w = append(w, "e.industry = ?")
		args = append(args, q.Industry)
	}
	if q.Size != "" {
		w = append(w, "e.size = ?")
		args = append(args, string(q.Size))
	}
	switch q.KeyLevel {
	case "city", "district":
		w = append(w, "e.key_level = ?")
		args = append(args, q.KeyLevel)
	case "any":
		w = append(w, "e.key_level <> ''")
	}
	switch q.ForeignTrade {
	case "yes":
		w = append(w, "e.foreign_trade = TRUE")
	case "no":
		w = append(w, "e.foreign_trade = FALSE")
	}
	if q.Tag != "" {
		w = append(w, "e.id IN (SELECT enterprise_id FROM enterprise_tags WHERE tag = ?)")
		args = append(args, q.Tag)
	}
	if t := strings.TrimSpace(q.Text); t != "" {
		w = append(w, `(LOWER(e.name) LIKE ? ESCAPE '\' OR e.credit_code LIKE ? ESCAPE '\')`)
		args = append(args, "%"+EscapeLike(LowerASCII(t))+"%", EscapeLike(strings.ToUpper(t))+"%")
	}
	if q.Unconfirmed {
		// From the few awaiting confirmation (enterprises_unconfirmed),
		// rather than the whole region's read to find them.
		w = append(w, "e.id IN (SELECT id FROM enterprises WHERE code_unconfirmed = TRUE)")
	}
	return strings.Join(w, " AND "), args
}

// Enterprises lists the enterprises the actor may read that match q, with
// the total count. Personal data is masked in lists.
func (s *Store) Enterprises(ctx context.Context, actor access.Actor, q EnterpriseQuery) ([]enterprise.Enterprise, int, error) {
	where, args := q.where(actor, access.EnterpriseRead)
	r := s.Reader()
	var total int
	if err := Scan(r.Row(ctx, "SELECT COUNT(*) FROM enterprises e WHERE "+where, args...), &total); err != nil {
		return nil, 0, fmt.Errorf("count enterprises: %w", err)
	}
	limit, offset := q.Page.Bounds()
	rows, err := r.Query(ctx, "SELECT "+enterpriseColumns+" FROM enterprises e WHERE "+where+
		" ORDER BY e.name, e.id LIMIT ? OFFSET ?", append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list enterprises: %w", err)
	}
	defer rows.Close()
	list := make([]enterprise.Enterprise, 0, limit)
	for rows.Next() {
		e, err := scanEnterprise(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("scan enterprise: %w", err)
		}
		mask(&e)
		list = append(list, e)
	}
	return list, total, rows.Err()
}

// CountEnterprises counts the enterprises the actor may read that match q.
func (s *Store) CountEnterprises(ctx context.Context, actor access.Actor, q EnterpriseQuery) (int, error) {
	where, args := q.where(actor, access.EnterpriseRead)
	var n int
	err := Scan(s.Reader().Row(ctx, "SELECT COUNT(*) FROM enterprises e WHERE "+where, args...), &n)
	return n, err
}

// ExportEnterprises calls fn for each enterprise the actor may export that
// matches q (no paging). Personal data is shown in full only to roles that
// may see it; the export itself is audited with its filter and row count.
func (s *Store) ExportEnterprises(ctx context.Context, actor access.Actor, q EnterpriseQuery, fn func(enterprise.Enterprise) error) error {
	if !access.May(actor.Role, access.EnterpriseExport) {
		return access.ErrForbidden
	}
	where, args := q.where(actor, access.EnterpriseExport)
	rows, err := s.Reader().Query(ctx, "SELECT "+enterpriseColumns+" FROM enterprises e WHERE "+where+
		" ORDER BY e.grid_code, e.name, e.id", args...)
	if err != nil {
		return fmt.Errorf("export enterprises: %w", err)
	}
	defer rows.Close()
	n := 0 // rows handed to fn
	err = func() error {
		for rows.Next() {
			e, err := scanEnterprise(rows)
			if err != nil {
				return fmt.Errorf("scan enterprise: %w", err)
			}
			t := access.Target{Place: ancestryOf(e), EnterpriseID: e.ID, Assigned: actor.Role == access.RoleCadre}
			if !access.Allows(actor, access.PersonalView, t) {
				mask(&e)
			}
			n++
			if err := fn(e); err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("export enterprises: %w", err)
		}
		return nil
	}()
	// An export that stops part way, as when the download is cancelled, is
	// audited too, with the rows that left.
	result := "ok"
	if err != nil {
		result = "failed"
	}
	q.Page = Page{}
	if rerr := s.Record(context.WithoutCancel(ctx), actor, "enterprise.export", "enterprises", result,
		map[string]any{"query": q, "rows": n}); err == nil {
		err = rerr
	}
	return err
}

// mask hides the personal data of an enterprise record.
func mask(e *enterprise.Enterprise) { e.Phone = access.MaskPhone(e.Phone) }

// EnterpriseByID reads one enterprise by ID, whatever the scope, unmasked:
// for a module's use case, which checks the actor against it (TargetOf).
func (h DB) EnterpriseByID(ctx context.Context, id int64) (enterprise.Enterprise, error) {
	return h.enterprise(ctx, id)
}

// enterprise reads one enterprise by ID, whatever the scope.
func (h DB) enterprise(ctx context.Context, id int64) (enterprise.Enterprise, error) {
	return scanEnterpriseRow(h.Row(ctx, "SELECT "+enterpriseColumns+" FROM enterprises e WHERE e.id = ?", id))
}

func scanEnterpriseRow(row interface{ Scan(...any) error }) (enterprise.Enterprise, error) {
	e, err := scanEnterprise(row)
	if err != nil {
		return e, ScanErr(err)
	}
	return e, nil
}

// Enterprise returns one enterprise the actor may read, with personal data
// masked; records out of scope are not found.
func (s *Store) Enterprise(ctx context.Context, actor access.Actor, id int64) (enterprise.Enterprise, error) {
	r := s.Reader()
	e, err := r.enterprise(ctx, id)
	if err != nil {
		return e, err
	}
	t, err := r.TargetOf(ctx, actor, e)
	if err != nil {
		return e, err
	}
	if err := access.Check(actor, access.EnterpriseRead, access.EnterpriseRead, t); err != nil {
		return enterprise.Enterprise{}, err
	}
	mask(&e)
	return e, nil
}

// RevealEnterprise returns one enterprise with its personal data in full,
// for roles that need it, and audits the view.
func (s *Store) RevealEnterprise(ctx context.Context, actor access.Actor, id int64) (enterprise.Enterprise, error) {
	var e enterprise.Enterprise
	err := s.WithTx(ctx, func(tx *Tx) error {
		var err error
		if e, err = tx.DB().enterprise(ctx, id); err != nil {
			return err
		}
		t, err := tx.DB().TargetOf(ctx, actor, e)
		if err != nil {
			return err
		}
		if err := access.Check(actor, access.PersonalView, access.EnterpriseRead, t); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "enterprise.personal", fmt.Sprintf("enterprise/%d", id), "ok", nil)
	})
	if err != nil {
		return enterprise.Enterprise{}, err
	}
	return e, nil
}

// place fills in the ancestry of e's grid, or reports the grid as unknown.
func (h DB) place(ctx context.Context, e *enterprise.Enterprise) error {
	a, level, err := h.gridAncestry(ctx, e.GridCode)
	if fault.Is(err, fault.NotFound) || (err == nil && level != place.Grid) {
		return fault.Fields{"grid_code": {Zh: "网格不存在", En: "no such grid"}}.Err()
	}
	if err != nil {
		return err
	}
	e.CommunityCode, e.StreetCode, e.DistrictCode, e.CityCode = a.Community, a.Street, a.District, a.City
	return nil
}

// gridAncestry is ancestry, remembered for the rest of a transaction: an
// import places a hundred thousand enterprises in a few hundred grids, and
// the transaction changes no region.
func (h DB) gridAncestry(ctx context.Context, code string) (place.Ancestry, place.Level, error) {
	if h.tx == nil {
		return h.ancestry(ctx, code)
	}
	if p, ok := h.tx.places[code]; ok {
		return p.a, p.level, p.err
	}
	a, level, err := h.ancestry(ctx, code)
	if err == nil || fault.Is(err, fault.NotFound) {
		if h.tx.places == nil {
			h.tx.places = map[string]placed{}
		}
		h.tx.places[code] = placed{a, level, err}
	}
	return a, level, err
}

// placed is a remembered ancestry.
type placed struct {
	a     place.Ancestry
	level place.Level
	err   error
}

// CreateEnterprise registers an enterprise in a grid within the actor's scope.
func (s *Store) CreateEnterprise(ctx context.Context, actor access.Actor, e enterprise.Enterprise) (enterprise.Enterprise, error) {
	if !access.May(actor.Role, access.EnterpriseCreate) {
		return e, access.ErrForbidden
	}
	e.Normalize()
	if err := e.Validate(false).Err(); err != nil {
		return e, err
	}
	err := s.WithTx(ctx, func(tx *Tx) error {
		if err := tx.DB().place(ctx, &e); err != nil {
			return err
		}
		if err := access.Check(actor, access.EnterpriseCreate, access.EnterpriseCreate, access.Target{Place: ancestryOf(e)}); err != nil {
			return fault.Fields{"grid_code": {Zh: "该网格不在您的管辖范围内", En: "the grid is outside your scope"}}.Err()
		}
		if err := tx.insertEnterprise(ctx, actor, &e); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "enterprise.create", fmt.Sprintf("enterprise/%d", e.ID), "ok",
			map[string]string{"credit_code": e.CreditCode, "name": e.Name})
	})
	return e, err
}

func (t *Tx) insertEnterprise(ctx context.Context, by access.Actor, e *enterprise.Enterprise) error {
	return t.insertEnterprises(ctx, by, []*enterprise.Enterprise{e})
}

// insertRows bounds the enterprises of one INSERT (23 parameters each).
const insertRows = 500

// insertEnterprises inserts new enterprises and their tags, a few hundred
// to a statement, and sets their IDs, times and versions.
func (t *Tx) insertEnterprises(ctx context.Context, by access.Actor, list []*enterprise.Enterprise) error {
	now := t.s.now().UnixMilli()
	for batch := range slices.Chunk(list, insertRows) {
		args := make([]any, 0, 22*len(batch))
		byCode := make(map[string]*enterprise.Enterprise, len(batch))
		for _, e := range batch {
			args = append(args, e.CreditCode, e.CodeUnconfirmed, e.Name, e.LegalRep, e.Contact, e.Phone, e.Address,
				e.GridCode, e.CommunityCode, e.StreetCode, e.DistrictCode, e.CityCode, e.Industry, e.Employees, e.Revenue,
				string(e.Size), e.ForeignTrade, string(e.KeyLevel), e.PartyBranch, strings.Join(e.Tags, ","), now, now)
			e.CreatedAt, e.UpdatedAt, e.Version = time.UnixMilli(now), time.UnixMilli(now), 1
			byCode[e.CreditCode] = e
		}
		rows, err := t.DB().Query(ctx, `INSERT INTO enterprises (credit_code, code_unconfirmed, name, legal_rep, contact,
			phone, address, grid_code, community_code, street_code, district_code, city_code, industry, employees, revenue,
			size, foreign_trade, key_level, party_branch, tags, created_at, updated_at, version) VALUES `+
			Tuples("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", len(batch))+
			" RETURNING id, credit_code", args...)
		if fault.Is(err, fault.Conflict) {
			return fault.Fields{"credit_code": {Zh: "该统一社会信用代码已登记", En: "an enterprise with this credit code is already registered"}}.Err()
		}
		if err != nil {
			return fmt.Errorf("insert enterprise: %w", err)
		}
		for rows.Next() {
			var id int64
			var code string
			if err := rows.Scan(&id, &code); err != nil {
				rows.Close()
				return fmt.Errorf("insert enterprise: %w", err)
			}
			byCode[code].ID = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			if fault.Is(translate(err), fault.Conflict) {
				return fault.Fields{"credit_code": {Zh: "该统一社会信用代码已登记", En: "an enterprise with this credit code is already registered"}}.Err()
			}
			return fmt.Errorf("insert enterprise: %w", translate(err))
		}
		if err := t.addTags(ctx, batch); err != nil {
			return err
		}
		for _, e := range batch {
			t.writes = append(t.writes, EnterpriseWrite{By: by, After: *e})
		}
	}
	return nil
}

// addTags adds the tags of new enterprises, with one statement.
func (t *Tx) addTags(ctx context.Context, list []*enterprise.Enterprise) error {
	var args []any
	for _, e := range list {
		for _, tag := range e.Tags {
			args = append(args, e.ID, tag)
		}
	}
	if len(args) == 0 {
		return nil
	}
	q := "INSERT INTO enterprise_tags (enterprise_id, tag) VALUES " + Tuples("(?, ?)", len(args)/2)
	if _, err := t.DB().Exec(ctx, q, args...); err != nil {
		return fmt.Errorf("add tags: %w", err)
	}
	return nil
}

func (t *Tx) setTags(ctx context.Context, id int64, tags []string) error {
	if _, err := t.DB().Exec(ctx, "DELETE FROM enterprise_tags WHERE enterprise_id = ?", id); err != nil {
		return fmt.Errorf("clear tags: %w", err)
	}
	return t.addTags(ctx, []*enterprise.Enterprise{{ID: id, Tags: tags}})
}

// restricted lists the fields only regional staff and administrators may
// change: an enterprise user or cadre keeps the enterprise's identity,
// placement and key level as they are.
var restricted = []string{"credit_code", "grid_code", "key_level"}

// UpdateEnterprise changes an enterprise the actor may update, if it is
// still at version. The change is audited field by field.
func (s *Store) UpdateEnterprise(ctx context.Context, actor access.Actor, id, version int64, e enterprise.Enterprise) (enterprise.Enterprise, error) {
	e.Normalize()
	err := s.WithTx(ctx, func(tx *Tx) error {
		old, err := tx.DB().enterprise(ctx, id)
		if err != nil {
			return err
		}
		t, err := tx.DB().TargetOf(ctx, actor, old)
		if err != nil {
			return err
		}
		if err := access.Check(actor, access.EnterpriseUpdate, access.EnterpriseRead, t); err != nil {
			return err
		}
		if old.Version != version {
			return fault.ErrConflict
		}
		if e.Phone == access.MaskPhone(old.Phone) { // the form showed the masked number and it was not changed
			e.Phone = old.Phone
		}
		if access.ReachOf(actor.Role, access.EnterpriseUpdate) < access.Region {
			changed := diff(old, e)
			f := fault.Fields{}
			for _, field := range restricted {
				if _, ok := changed[field]; ok {
					f.Add(field, "您的角色不能修改此项", "your role may not change this field")
				}
			}
			if err := f.Err(); err != nil {
				return err
			}
		}
		e.CodeUnconfirmed = old.CodeUnconfirmed && e.CreditCode == old.CreditCode
		if err := e.Validate(e.CodeUnconfirmed).Err(); err != nil {
			return err
		}
		if err := tx.DB().place(ctx, &e); err != nil {
			return err
		}
		if e.GridCode != old.GridCode {
			if err := access.Check(actor, access.EnterpriseUpdate, access.EnterpriseUpdate, access.Target{Place: ancestryOf(e), EnterpriseID: id, Assigned: t.Assigned}); err != nil {
				return fault.Fields{"grid_code": {Zh: "该网格不在您的管辖范围内", En: "the grid is outside your scope"}}.Err()
			}
		}
		e.ID, e.CreatedAt = id, old.CreatedAt
		changes := diff(old, e)
		if len(changes) == 0 {
			e = old
			return nil
		}
		if err := tx.updateEnterprise(ctx, actor, old, &e); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "enterprise.update", fmt.Sprintf("enterprise/%d", id), "ok", changes)
	})
	return e, err
}

// updateEnterprise writes e over old, if old is still its version.
func (t *Tx) updateEnterprise(ctx context.Context, by access.Actor, old enterprise.Enterprise, e *enterprise.Enterprise) error {
	version := old.Version
	now := t.s.now().UnixMilli()
	res, err := t.DB().Exec(ctx, `UPDATE enterprises SET credit_code = ?, code_unconfirmed = ?, name = ?, legal_rep = ?,
		contact = ?, phone = ?, address = ?, grid_code = ?, community_code = ?, street_code = ?, district_code = ?,
		city_code = ?, industry = ?, employees = ?, revenue = ?, size = ?, foreign_trade = ?, key_level = ?,
		party_branch = ?, tags = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		e.CreditCode, e.CodeUnconfirmed, e.Name, e.LegalRep, e.Contact, e.Phone, e.Address, e.GridCode, e.CommunityCode,
		e.StreetCode, e.DistrictCode, e.CityCode, e.Industry, e.Employees, e.Revenue, string(e.Size), e.ForeignTrade,
		string(e.KeyLevel), e.PartyBranch, strings.Join(e.Tags, ","), now, e.ID, version)
	if fault.Is(err, fault.Conflict) {
		return fault.Fields{"credit_code": {Zh: "该统一社会信用代码已登记", En: "an enterprise with this credit code is already registered"}}.Err()
	}
	if err != nil {
		return fmt.Errorf("update enterprise: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fault.ErrConflict
	}
	e.Version, e.UpdatedAt = version+1, time.UnixMilli(now)
	t.writes = append(t.writes, EnterpriseWrite{By: by, Before: old, After: *e})
	return t.setTags(ctx, e.ID, e.Tags)
}

// SetFigures gives an enterprise, as read by the caller in the
// transaction, the employees and annual revenue a module has learnt (the
// dossier's current facts), with the size class they make, if they differ;
// the change is audited as the enterprise's, with why. It is not an
// EnterpriseWrite: the modules already know the figures.
func (t *Tx) SetFigures(ctx context.Context, by access.Actor, e enterprise.Enterprise, employees int, revenue int64, because string) error {
	if e.Employees == employees && e.Revenue == revenue {
		return nil
	}
	size := enterprise.Classify(e.Industry, employees, revenue)
	res, err := t.DB().Exec(ctx, `UPDATE enterprises SET employees = ?, revenue = ?, size = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`, employees, revenue, string(size), t.s.now().UnixMilli(), e.ID, e.Version)
	if err != nil {
		return fmt.Errorf("set figures: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fault.ErrConflict
	}
	after := e
	after.Employees, after.Revenue, after.Size = employees, revenue, size
	changes := map[string]any{"because": because}
	for field, d := range diff(e, after) {
		changes[field] = d
	}
	if e.Size != size {
		changes["size"] = [2]string{string(e.Size), string(size)}
	}
	return t.Record(ctx, by, "enterprise.update", fmt.Sprintf("enterprise/%d", e.ID), "ok", changes)
}

// diff returns the fields that differ between two versions of an
// enterprise, as field → [old, new], with phones masked for the audit log.
func diff(a, b enterprise.Enterprise) map[string][2]any {
	d := map[string][2]any{}
	add := func(field string, x, y any) {
		if x != y {
			d[field] = [2]any{x, y}
		}
	}
	add("credit_code", a.CreditCode, b.CreditCode)
	add("name", a.Name, b.Name)
	add("legal_rep", a.LegalRep, b.LegalRep)
	add("contact", a.Contact, b.Contact)
	if a.Phone != b.Phone {
		d["phone"] = [2]any{access.MaskPhone(a.Phone), access.MaskPhone(b.Phone)}
	}
	add("address", a.Address, b.Address)
	add("grid_code", a.GridCode, b.GridCode)
	add("industry", a.Industry, b.Industry)
	add("employees", a.Employees, b.Employees)
	add("revenue", a.Revenue, b.Revenue)
	add("foreign_trade", a.ForeignTrade, b.ForeignTrade)
	add("key_level", string(a.KeyLevel), string(b.KeyLevel))
	add("party_branch", a.PartyBranch, b.PartyBranch)
	if !slices.Equal(a.Tags, b.Tags) {
		d["tags"] = [2]any{strings.Join(a.Tags, ","), strings.Join(b.Tags, ",")}
	}
	return d
}
