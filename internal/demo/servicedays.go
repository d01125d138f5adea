package demo

import (
	"context"
	"fmt"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/visit"
)

// The demo's department service days (部门服务日) in the showcase community:
// one held three weeks ago — the human resources and tax bureaus, market
// supervision and a bank came; of the four problems its enterprises
// registered, three were answered on the spot and one raised as an appeal
// dispatched to the tax bureau — and one coming in ten days, with two
// problems registered so far. Played through the visits module's use cases
// as the community's staff and the showcase enterprise's account.

// ServiceDays are the use cases the service days are played through (visitdb.Store).
type ServiceDays interface {
	CreateDay(ctx context.Context, actor access.Actor, d visit.Day) (visit.Day, error)
	Register(ctx context.Context, actor access.Actor, dayID int64, p visit.DayProblem) (visit.DayProblem, error)
	AnswerDayProblem(ctx context.Context, actor access.Actor, id int64, answer string, version int64) (visit.DayProblem, error)
	RaiseDayProblem(ctx context.Context, actor access.Actor, id int64) (visit.DayProblem, error)
}

// dayProblem is a problem the demo's enterprises bring to a service day,
// with the answer given on the spot ("" raises it as an appeal).
type dayProblem struct {
	category, department, text, answer string
}

var pastDayProblems = []dayProblem{
	{"labour.social", "hrss", "新招的外地员工社保转移接续怎么办理", "人社局现场讲解转移接续流程，企业当场在线提交了申请"},
	{"tax", "tax", "研发费用加计扣除的辅助账怎么设置", "税务分局专管员现场演示辅助账设置，并留下联系方式"},
	{"market", "market", "食品经营许可证到期换证需要哪些材料", "市场监管所现场列出材料清单，可网上办理"},
	{"tax", "tax", "去年多缴的企业所得税申请退还半年未到账", ""},
}

var comingDayProblems = []dayProblem{
	{"labour.recruit", "hrss", "明年一季度需要招聘 20 名普工，希望参加专场招聘", ""},
	{"financing", "tax", "想了解纳税信用贷款的申请条件", ""},
}

// PlayServiceDays plays the showcase community's service days, moving the
// store's clock with setNow, and leaves it at now. It returns the days and
// problems played.
func PlayServiceDays(ctx context.Context, d Dataset, m VisitModules, days ServiceDays, now time.Time, setNow func(time.Time)) (int, int, error) {
	defer setNow(now)
	actor := func(username string) (access.Actor, error) {
		u, err := m.Accounts.UserByUsername(ctx, username)
		if err != nil {
			return access.Actor{}, fmt.Errorf("demo account %s: %w", username, err)
		}
		a, err := m.Accounts.Actor(ctx, u.ID)
		a.Addr = "demo"
		return a, err
	}
	community, err := actor("community")
	if err != nil {
		return 0, 0, err
	}
	own, err := actor("enterprise")
	if err != nil {
		return 0, 0, err
	}
	// The community's enterprises, the showcase's own first: each brings one problem.
	var showCode, communityCode string
	for _, u := range d.Users {
		switch u.Username {
		case "enterprise":
			showCode = u.EnterpriseCode
		case "community":
			communityCode = u.RegionCode
		}
	}
	var bring []int64
	for _, e := range d.Enterprises {
		if e.CommunityCode != communityCode {
			continue
		}
		id, err := m.Enterprises.ByCreditCode(ctx, community, e.CreditCode)
		if err != nil {
			continue
		}
		if e.CreditCode == showCode {
			bring = append([]int64{id}, bring...)
		} else if len(bring) < 8 {
			bring = append(bring, id)
		}
	}
	day := func(back int) time.Time {
		t := now.In(calendar.Shanghai).AddDate(0, 0, -back)
		return time.Date(t.Year(), t.Month(), t.Day(), 9, 0, 0, 0, calendar.Shanghai)
	}
	problems := 0
	play := func(held int, title, place string, list []dayProblem) error {
		setNow(day(held + 10)) // planned ten days before
		dd, err := days.CreateDay(ctx, community, visit.Day{Title: title, On: day(held).Format("2006-01-02"), Place: place,
			Departments: []string{"hrss", "tax", "market"}, Providers: []string{"bank-rural"}})
		if err != nil {
			return fmt.Errorf("demo service day: %w", err)
		}
		setNow(day(held + 3))
		var registered []visit.DayProblem
		for i, p := range list {
			by, eid := community, bring[(i+1)%len(bring)]
			if i == 0 {
				by, eid = own, bring[0] // the showcase enterprise registers its own on its phone
			}
			r, err := days.Register(ctx, by, dd.ID, visit.DayProblem{EnterpriseID: eid, Text: p.text, Category: p.category, Department: p.department})
			if err != nil {
				return fmt.Errorf("demo service-day problem: %w", err)
			}
			registered = append(registered, r)
			problems++
		}
		if held < 0 {
			return nil // still to come
		}
		setNow(day(held).Add(3 * time.Hour))
		for i, p := range list {
			if p.answer != "" {
				if _, err := days.AnswerDayProblem(ctx, community, registered[i].ID, p.answer, registered[i].Version); err != nil {
					return fmt.Errorf("demo service-day answer: %w", err)
				}
			} else if _, err := days.RaiseDayProblem(ctx, community, registered[i].ID); err != nil {
				return fmt.Errorf("demo service-day appeal: %w", err)
			}
		}
		return nil
	}
	if len(bring) == 0 {
		return 0, 0, nil
	}
	words := ServiceDayWords()
	if err := play(21, words[0], words[1], pastDayProblems); err != nil {
		return 0, 0, err
	}
	if err := play(-10, words[2], words[3], comingDayProblems); err != nil {
		return 1, problems, err
	}
	return 2, problems, nil
}

// ServiceDayWords are the Chinese words the demo's service days put in
// records (titles, places, problems, answers), for a test that tells the
// records' words from the pages' own.
func ServiceDayWords() []string {
	words := []string{"人社、税务、市场监管服务日", "社区党群服务中心一楼大厅", "年末政策与用工服务日", "社区党群服务中心二楼会议室"}
	for _, p := range append(append([]dayProblem{}, pastDayProblems...), comingDayProblems...) {
		words = append(words, p.text, p.answer)
	}
	return words
}
