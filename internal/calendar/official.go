package calendar

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// notices are the State Council's holiday arrangements (国务院办公厅关于部分节假日
// 安排的通知), one line per holiday range or make-up working day, in the order
// of the notice. Every day of a holiday range is a Holiday, weekend days
// included (harmless: they are not working days either way).
//
// The 2027 notice is not shipped: it could not be sourced when this table was
// written (it is usually published in November of the year before). Admins
// enter it through the app; their days are appended to Official() and win.
var notices = []struct {
	from, to string // inclusive
	kind     Kind
	name     string
}{
	// 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）
	{"2025-01-01", "2025-01-01", Holiday, "元旦"},      // 1月1日（周三）放假1天，不调休
	{"2025-01-28", "2025-02-04", Holiday, "春节"},      // 1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天
	{"2025-01-26", "2025-01-26", Workday, "春节"},      // 1月26日（周日）上班
	{"2025-02-08", "2025-02-08", Workday, "春节"},      // 2月8日（周六）上班
	{"2025-04-04", "2025-04-06", Holiday, "清明节"},     // 4月4日（周五）至6日（周日）放假，共3天
	{"2025-05-01", "2025-05-05", Holiday, "劳动节"},     // 5月1日（周四）至5日（周一）放假调休，共5天
	{"2025-04-27", "2025-04-27", Workday, "劳动节"},     // 4月27日（周日）上班
	{"2025-05-31", "2025-06-02", Holiday, "端午节"},     // 5月31日（周六）至6月2日（周一）放假，共3天
	{"2025-10-01", "2025-10-08", Holiday, "国庆节、中秋节"}, // 10月1日（周三）至8日（周三）放假调休，共8天
	{"2025-09-28", "2025-09-28", Workday, "国庆节、中秋节"}, // 9月28日（周日）上班
	{"2025-10-11", "2025-10-11", Workday, "国庆节、中秋节"}, // 10月11日（周六）上班

	// 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号，2025年11月4日）
	{"2026-01-01", "2026-01-03", Holiday, "元旦"},  // 1月1日（周四）至3日（周六）放假调休，共3天
	{"2026-01-04", "2026-01-04", Workday, "元旦"},  // 1月4日（周日）上班
	{"2026-02-15", "2026-02-23", Holiday, "春节"},  // 2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天
	{"2026-02-14", "2026-02-14", Workday, "春节"},  // 2月14日（周六）上班
	{"2026-02-28", "2026-02-28", Workday, "春节"},  // 2月28日（周六）上班
	{"2026-04-04", "2026-04-06", Holiday, "清明节"}, // 4月4日（周六）至6日（周一）放假，共3天
	{"2026-05-01", "2026-05-05", Holiday, "劳动节"}, // 5月1日（周五）至5日（周二）放假调休，共5天
	{"2026-05-09", "2026-05-09", Workday, "劳动节"}, // 5月9日（周六）上班
	{"2026-06-19", "2026-06-21", Holiday, "端午节"}, // 6月19日（周五）至21日（周日）放假，共3天
	{"2026-09-25", "2026-09-27", Holiday, "中秋节"}, // 9月25日（周五）至27日（周日）放假，共3天
	{"2026-10-01", "2026-10-07", Holiday, "国庆节"}, // 10月1日（周四）至7日（周三）放假调休，共7天
	{"2026-09-20", "2026-09-20", Workday, "国庆节"}, // 9月20日（周日）上班
	{"2026-10-10", "2026-10-10", Workday, "国庆节"}, // 10月10日（周六）上班
}

// Official returns the shipped official calendars, one Day per date, sorted
// by date: 2025 (国办发明电〔2024〕12号) and 2026 (国办发明电〔2025〕7号). The
// 2027 notice could not be sourced offline and is not included: admins enter
// it through the app.
func Official() []Day {
	var days []Day
	for _, r := range notices {
		from, err1 := time.Parse(time.DateOnly, r.from)
		to, err2 := time.Parse(time.DateOnly, r.to)
		if err1 != nil || err2 != nil {
			panic("calendar: bad date in the official table: " + r.from + ".." + r.to) // caught by TestOfficial
		}
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			days = append(days, Day{Date: d.Format(time.DateOnly), Kind: r.kind, Name: r.name})
		}
	}
	slices.SortFunc(days, func(a, b Day) int { return strings.Compare(a.Date, b.Date) })
	return days
}

// YearKnown reports whether days hold the arrangement of year's holidays:
// at least one holiday in it (every year has 元旦 and 春节).
func YearKnown(days []Day, year int) bool {
	prefix := fmt.Sprintf("%04d-", year)
	for _, d := range days {
		if d.Kind == Holiday && strings.HasPrefix(d.Date, prefix) {
			return true
		}
	}
	return false
}

// NextYearMissing returns the next year when, at now, its holidays should
// already be entered and are not, and 0 otherwise: from 1 November (the
// State Council's notice comes out in the autumn) until a holiday of that
// year is among days (the official ones and the administrators'). Until
// then a deadline crossing 1 January counts 元旦 as a working day.
func NextYearMissing(now time.Time, days []Day) int {
	t := now.In(Shanghai)
	if t.Month() < time.November || YearKnown(days, t.Year()+1) {
		return 0
	}
	return t.Year() + 1
}
