package pool

import (
	"fmt"
	"time"

	"qifu/internal/fault"
)

// Settlement (结算) is monthly per loan: the borrower's attendance gives each
// worker's days, times the agreed daily cost; the borrower settles the total
// to the lender, and the lender pays each worker what it received for them,
// in full, keeping no fee (实收实支). Both enterprises confirm the sheet.

// Line is one worker's part of a month's sheet.
type Line struct {
	PlacementID int64  `json:"placement_id"`
	Worker      string `json:"worker"`
	Days        int    `json:"days"`
	Rate        int    `json:"rate"`   // agreed daily cost, yuan
	Amount      int    `json:"amount"` // Days × Rate, settled to the lender
	// Paid is what the lender paid the worker for these days; Fee what it
	// kept or deducted. The lender states both when it confirms.
	Paid int `json:"paid"`
	Fee  int `json:"fee"`
}

// Sheet is a month's settlement of one loan.
type Sheet struct {
	ID                int64     `json:"id"`
	MatchID           int64     `json:"match_id"`
	Month             string    `json:"month"` // YYYY-MM
	Lines             []Line    `json:"lines"`
	Total             int       `json:"total"`
	BorrowerConfirmed time.Time `json:"borrower_confirmed,omitzero"`
	LenderConfirmed   time.Time `json:"lender_confirmed,omitzero"`
	Version           int       `json:"version"`
}

// ValidMonth reports whether s is a month, YYYY-MM.
func ValidMonth(s string) bool {
	_, ok := ParseDay(s + "-01")
	return ok && len(s) == 7
}

// Build makes a month's lines from the days each placement worked.
func Build(rate int, days map[int64]int, names map[int64]string, order []int64) []Line {
	var out []Line
	for _, id := range order {
		d := days[id]
		out = append(out, Line{PlacementID: id, Worker: names[id], Days: d, Rate: rate, Amount: d * rate})
	}
	return out
}

// Total is the sum the borrower settles.
func Total(lines []Line) int {
	t := 0
	for _, l := range lines {
		t += l.Amount
	}
	return t
}

// CheckPaid checks the lender's statement of what each worker was paid: the
// whole amount, no fee.
func CheckPaid(lines []Line) error {
	for _, l := range lines {
		switch {
		case l.Fee != 0:
			return Refusal("no_fee", fmt.Sprintf("%s 的结算中填写了 %d 元费用或扣款。", l.Worker, l.Fee),
				fmt.Sprintf("A fee or deduction of %d yuan is stated for %s.", l.Fee, l.Worker))
		case l.Paid < l.Amount:
			return Refusal("wage_full", fmt.Sprintf("%s 应得 %d 元，实发 %d 元。", l.Worker, l.Amount, l.Paid),
				fmt.Sprintf("%s is owed %d yuan and was paid %d.", l.Worker, l.Amount, l.Paid))
		case l.Paid < 0 || l.Paid > 10_000_000:
			return fault.Fields{"lines": {Zh: "实发金额不正确", En: "the amount paid is not valid"}}.Err()
		}
	}
	return nil
}
