package store

import (
	"context"
	"fmt"

	"qifu/internal/access"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
)

// ImportRow is one row of an imported enterprise list.
type ImportRow struct {
	Line       int
	Enterprise enterprise.Enterprise
	Problems   fault.Fields
}

// ImportResult says what an import did.
type ImportResult struct {
	Created, Updated, Unchanged int
	Rejected                    []ImportRow // rows not applied, with their problems
	Applied                     bool        // false when a strict import found problems and applied nothing
}

// ImportEnterprises upserts enterprises by credit code in one transaction.
// Rows with problems, rows placing an enterprise in a grid outside the
// actor's scope, and rows naming an enterprise the actor may not update are
// rejected; the other rows are applied, unless strict is set and any row was
// rejected, in which case nothing is. Importing the same rows again changes
// nothing.
func (s *Store) ImportEnterprises(ctx context.Context, actor access.Actor, rows []ImportRow, strict bool) (ImportResult, error) {
	if !access.May(actor.Role, access.EnterpriseImport) {
		return ImportResult{}, access.ErrForbidden
	}
	var res ImportResult
	errStrict := fault.New(fault.Invalid, "import_rejected", "导入文件有错误行，未导入任何数据", "the file has bad rows; nothing was imported")
	err := s.WithTx(ctx, func(tx *Tx) error {
		res = ImportResult{}
		grids := map[string]error{}
		for start := 0; start < len(rows); start += importChunk {
			chunk := rows[start:min(start+importChunk, len(rows))]
			known, err := tx.enterpriseIDs(ctx, chunk)
			if err != nil {
				return err
			}
			// New enterprises wait in pending to be inserted together; one
			// whose code comes again in the chunk is inserted at once, so that
			// the later row updates it.
			var pending []*enterprise.Enterprise
			flush := func() error {
				if err := tx.insertEnterprises(ctx, actor, pending); err != nil {
					return err
				}
				for _, e := range pending {
					known[e.CreditCode] = true
				}
				res.Created += len(pending)
				pending = pending[:0]
				return nil
			}
			inPending := map[string]bool{}
			for _, row := range chunk {
				if len(row.Problems) > 0 {
					res.Rejected = append(res.Rejected, row)
					continue
				}
				e := row.Enterprise
				placeErr, seen := grids[e.GridCode]
				if !seen {
					probe := e
					placeErr = tx.DB().place(ctx, &probe)
					if placeErr == nil && access.Check(actor, access.EnterpriseImport, access.EnterpriseImport, access.Target{Place: ancestryOf(probe)}) != nil {
						placeErr = fault.Fields{"grid_code": {Zh: "该网格不在您的管辖范围内", En: "the grid is outside your scope"}}.Err()
					}
					grids[e.GridCode] = placeErr
				}
				if placeErr != nil {
					row.Problems = problemsOf(placeErr)
					res.Rejected = append(res.Rejected, row)
					continue
				}
				if err := tx.DB().place(ctx, &e); err != nil {
					return err
				}
				if inPending[e.CreditCode] {
					if err := flush(); err != nil {
						return fmt.Errorf("import before line %d: %w", row.Line, err)
					}
					clear(inPending)
				}
				if !known[e.CreditCode] {
					pending = append(pending, &e)
					inPending[e.CreditCode] = true
					continue
				}
				outcome, err := tx.update(ctx, actor, e)
				if fe := fault.As(err); fe != nil && fe.Kind != fault.Internal && fe.Kind != fault.Unavailable {
					row.Problems = problemsOf(err)
					res.Rejected = append(res.Rejected, row)
					continue
				}
				if err != nil {
					return fmt.Errorf("import line %d: %w", row.Line, err)
				}
				if outcome == updated {
					res.Updated++
				} else {
					res.Unchanged++
				}
			}
			if err := flush(); err != nil {
				return fmt.Errorf("import lines %d–%d: %w", chunk[0].Line, chunk[len(chunk)-1].Line, err)
			}
		}
		if strict && len(res.Rejected) > 0 {
			return errStrict
		}
		res.Applied = true
		return tx.Record(ctx, actor, "enterprise.import", "enterprises", "ok", map[string]int{
			"rows": len(rows), "created": res.Created, "updated": res.Updated, "unchanged": res.Unchanged,
			"rejected": len(res.Rejected)})
	})
	if err == errStrict {
		res.Applied, res.Created, res.Updated, res.Unchanged = false, 0, 0, 0
		return res, nil
	}
	return res, err
}

// importChunk is how many rows an import looks up and inserts together.
const importChunk = 500

// enterpriseIDs says which of the rows' credit codes are registered.
func (t *Tx) enterpriseIDs(ctx context.Context, rows []ImportRow) (map[string]bool, error) {
	codes := make([]any, 0, len(rows))
	for _, r := range rows {
		codes = append(codes, r.Enterprise.CreditCode)
	}
	known := map[string]bool{}
	if len(codes) == 0 {
		return known, nil
	}
	list, err := t.DB().Query(ctx, "SELECT credit_code FROM enterprises WHERE credit_code IN ("+Placeholders(len(codes))+")", codes...)
	if err != nil {
		return nil, fmt.Errorf("look up credit codes: %w", err)
	}
	defer list.Close()
	for list.Next() {
		var code string
		if err := list.Scan(&code); err != nil {
			return nil, err
		}
		known[code] = true
	}
	return known, list.Err()
}

type outcome int

const (
	unchanged outcome = iota
	updated
)

// update updates the registered enterprise with e's credit code, if the
// actor may and anything changed.
func (t *Tx) update(ctx context.Context, actor access.Actor, e enterprise.Enterprise) (outcome, error) {
	var id int64
	if err := Scan(t.DB().Row(ctx, "SELECT id FROM enterprises WHERE credit_code = ?", e.CreditCode), &id); err != nil {
		return unchanged, err
	}
	old, err := t.DB().enterprise(ctx, id)
	if err != nil {
		return unchanged, err
	}
	target, err := t.DB().TargetOf(ctx, actor, old)
	if err != nil {
		return unchanged, err
	}
	if !access.Allows(actor, access.EnterpriseImport, target) {
		return unchanged, fault.Fields{"credit_code": {Zh: "该企业已登记在您管辖范围之外，不能通过导入修改", En: "this enterprise is registered outside your scope"}}.Err()
	}
	e.ID, e.CreatedAt = id, old.CreatedAt
	if len(diff(old, e)) == 0 && e.CodeUnconfirmed == old.CodeUnconfirmed {
		return unchanged, nil
	}
	if err := t.updateEnterprise(ctx, actor, old, &e); err != nil {
		return unchanged, err
	}
	return updated, nil
}

// problemsOf turns an error into per-field problems for an import report.
func problemsOf(err error) fault.Fields {
	fe := fault.As(err)
	if fe == nil {
		return fault.Fields{"row": {Zh: "无法导入此行", En: "this row could not be imported"}}
	}
	if len(fe.Fields) > 0 {
		return fault.Fields(fe.Fields)
	}
	return fault.Fields{"row": fe.Message}
}
