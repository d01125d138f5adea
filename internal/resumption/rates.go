package resumption

import (
	"fmt"
	"time"

	"qifu/internal/calendar"
	"qifu/internal/fault"
)

// A status report (运行情况) on a campaign's schedule, and the rates over
// the campaign's frozen list of enterprises (its audience):
//
//	复工率 resumption rate   = enterprises reporting resumed ÷ enterprises on the list
//	复产率 production rate   = enterprises reporting output above nothing ÷ enterprises on the list
//	产能恢复率 capacity recovery = Σ (output share × normal output) ÷ Σ normal output, over the list
//	返岗率 return rate        = workers on site ÷ workers, over the list
//
// An enterprise on the list that has not reported counts in every
// denominator as not resumed, producing nothing, with nobody on site: it is
// counted and listed (NotReported), never dropped. 复产率 counts
// enterprises; 产能恢复率 weighs each by its normal output — a small shop
// back at full output moves the first, hardly the second.

// Report is one enterprise's status report.
type Report struct {
	EnterpriseID int64
	Resumed      bool
	Since        string // the day it resumed
	// OutputShare is output as a share of normal, in hundredths of a per cent (0–20000).
	OutputShare int
	OnSite      int
	Workers     int
	Orders      string
	// BlockedBy names the suppliers that hold it up (their credit codes).
	BlockedBy []string
	// Health are the staff by class (never named people).
	Isolating, Returned, Planning int
}

// MaxShare bounds an output share (twice normal).
const MaxShare = 20000

// Check validates a report at now.
func (r Report) Check(now time.Time) error {
	fields := fault.Fields{}
	if r.OutputShare < 0 || r.OutputShare > MaxShare {
		fields.Add("output_share", "产能比例应为 0–200%", "the output share is 0–200%")
	}
	if r.Workers < 0 || r.OnSite < 0 || r.OnSite > r.Workers {
		fields.Add("on_site", "在岗人数应在 0 和职工总数之间", "on site is between 0 and the workers")
	}
	if !r.Resumed && r.OutputShare > 0 {
		fields.Add("resumed", "未复工的企业不应报告产出", "an enterprise not resumed reports no output")
	}
	if r.Resumed {
		d, err := time.ParseInLocation(time.DateOnly, r.Since, calendar.Shanghai)
		if err != nil || d.After(now) {
			fields.Add("since", "请填写复工日期，不晚于今天", "the day it resumed, not after today")
		}
	}
	if r.Isolating < 0 || r.Returned < 0 || r.Planning < 0 || r.Isolating > 1_000_000 || r.Returned > 1_000_000 || r.Planning > 1_000_000 {
		fields.Add("health", "人数应为 0 或正整数", "a count is 0 or more")
	}
	if r.Workers > 1_000_000 {
		fields.Add("workers", "职工总数过大", "too many workers")
	}
	if len(r.BlockedBy) > 20 {
		fields.Add("blocked_by", "最多填写 20 家供应商", "at most 20 suppliers")
	}
	return fields.Err()
}

// Member is an enterprise on a campaign's frozen list, with the weights
// of its rates: its normal output (yuan a month) and its workers.
type Member struct {
	EnterpriseID int64
	NormalOutput int64
	Workers      int
}

// Rates are a campaign's rates over its list.
type Rates struct {
	Members     int
	Reported    int
	NotReported []int64
	Resumed     int
	Producing   int
	// Output and Normal make the capacity recovery: Σ share × normal, Σ normal (yuan).
	Output, Normal  int64
	OnSite, Workers int
}

// RatesOf computes the rates of a list from the latest report of each
// enterprise (reports of enterprises off the list are ignored).
func RatesOf(list []Member, latest map[int64]Report) Rates {
	r := Rates{Members: len(list)}
	for _, m := range list {
		r.Normal += m.NormalOutput
		rep, ok := latest[m.EnterpriseID]
		if !ok {
			r.NotReported = append(r.NotReported, m.EnterpriseID)
			r.Workers += m.Workers
			continue
		}
		r.Reported++
		workers := m.Workers
		if rep.Workers > 0 {
			workers = rep.Workers
		}
		r.Workers += workers
		if rep.Resumed {
			r.Resumed++
			r.OnSite += rep.OnSite
			if rep.OutputShare > 0 {
				r.Producing++
			}
			r.Output += m.NormalOutput * int64(rep.OutputShare) / 10000
		}
	}
	return r
}

func share(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// Resumption is 复工率.
func (r Rates) Resumption() float64 { return share(int64(r.Resumed), int64(r.Members)) }

// Production is 复产率.
func (r Rates) Production() float64 { return share(int64(r.Producing), int64(r.Members)) }

// Capacity is 产能恢复率.
func (r Rates) Capacity() float64 { return share(r.Output, r.Normal) }

// Return is 返岗率.
func (r Rates) Return() float64 { return share(int64(r.OnSite), int64(r.Workers)) }

// Percent writes a rate as a person reads it: "95.97%".
func Percent(rate float64) string { return fmt.Sprintf("%.2f%%", rate*100) }

// Mismatch is what the electricity says of a report.
type Mismatch string

// The mismatches.
const (
	NoMismatch  Mismatch = ""
	ResumedIdle Mismatch = "resumed_low_power"  // reports resumed, uses under the threshold of its baseline
	StoppedBusy Mismatch = "stopped_high_power" // reports not resumed, uses as normal
	NoBaseline  Mismatch = "no_baseline"        // nothing to compare with
)

// CrossCheck compares a report with the month's electricity use and the
// baseline (the same month last year): a resumed enterprise using under
// low (hundredths of a per cent, 3000 = 30%) of its baseline, or one not
// resumed using at least high (7000 = 70%), is flagged for a grid worker's
// check.
func CrossCheck(resumed bool, use, baseline int64, low, high int) Mismatch {
	if baseline <= 0 {
		return NoBaseline
	}
	ratio := use * 10000 / baseline
	switch {
	case resumed && ratio < int64(low):
		return ResumedIdle
	case !resumed && ratio >= int64(high):
		return StoppedBusy
	}
	return NoMismatch
}
