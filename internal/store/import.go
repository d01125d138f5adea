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
		for _, row := range rows {
			if len(row.Problems) > 0 {
				res.Rejected = append(res.Rejected, row)
				continue
			}
			e := row.Enterprise
			placeErr, seen := grids[e.GridCode]
			if !seen {
				probe := e
				placeErr = tx.db().place(ctx, &probe)
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
			if err := tx.db().place(ctx, &e); err != nil {
				return err
			}
			outcome, err := tx.upsert(ctx, actor, e)
			if fe := fault.As(err); fe != nil && fe.Kind != fault.Internal && fe.Kind != fault.Unavailable {
				row.Problems = problemsOf(err)
				res.Rejected = append(res.Rejected, row)
				continue
			}
			if err != nil {
				return fmt.Errorf("import line %d: %w", row.Line, err)
			}
			switch outcome {
			case created:
				res.Created++
			case updated:
				res.Updated++
			default:
				res.Unchanged++
			}
		}
		if strict && len(res.Rejected) > 0 {
			return errStrict
		}
		res.Applied = true
		return tx.record(ctx, actor, "enterprise.import", "enterprises", "ok", map[string]int{
			"rows": len(rows), "created": res.Created, "updated": res.Updated, "unchanged": res.Unchanged,
			"rejected": len(res.Rejected)})
	})
	if err == errStrict {
		res.Applied, res.Created, res.Updated, res.Unchanged = false, 0, 0, 0
		return res, nil
	}
	return res, err
}

type outcome int

const (
	unchanged outcome = iota
	created
	updated
)

// upsert inserts e or updates the enterprise with its credit code.
func (t *Tx) upsert(ctx context.Context, actor access.Actor, e enterprise.Enterprise) (outcome, error) {
	var id int64
	err := scan(t.db().row(ctx, "SELECT id FROM enterprises WHERE credit_code = ?", e.CreditCode), &id)
	if fault.Is(err, fault.NotFound) {
		if err := t.insertEnterprise(ctx, &e); err != nil {
			return unchanged, err
		}
		return created, nil
	}
	if err != nil {
		return unchanged, err
	}
	old, err := t.db().enterprise(ctx, id)
	if err != nil {
		return unchanged, err
	}
	target, err := t.db().targetOf(ctx, actor, old)
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
	if err := t.updateEnterprise(ctx, &e, old.Version); err != nil {
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
