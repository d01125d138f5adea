package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"qifu/internal/account"
	"qifu/internal/appeal"
	"qifu/internal/appeal/appealweb"
	"qifu/internal/demo"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

// TestPagesPeopleTouch walks what people met on the pages: a confirmation
// after a change (shown once), the language switch of a page that answers
// a refused POST returning to the page the form was on, notices read when
// their appeal is opened, the users list counting people and naming
// regions, and a landing page for the lawyer's role.
func TestPagesPeopleTouch(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		a := s.raise(t, "页面确认")
		page := fmt.Sprintf("/appeals/%d", a.ID)
		community := s.login(t, "community")

		// A step taken on the page: the next page says it was done, once.
		v := s.appealView(t, "community", a.ID)
		res := s.call(t, "POST", page+"/actions/accept", community, formBody(url.Values{"version": {fmt.Sprint(v.Version)}}))
		flash := res.cookie("qifu_flash")
		if res.code != http.StatusSeeOther || flash == nil {
			t.Fatalf("accept on the page: %d, confirmation cookie %v", res.code, flash)
		}
		both := core.SessionCookie + "=" + community.Value + "; " + flash.Name + "=" + flash.Value
		shown := s.call(t, "GET", res.header.Get("Location"), nil, nil, "Cookie", both)
		done := "已完成：" + translate("zh", "act.accept")
		if !bytes.Contains(shown.body, []byte(`<p class="flash">`+done)) {
			t.Errorf("the page after accepting does not confirm it (%q)", done)
		}
		if c := shown.cookie("qifu_flash"); c == nil || c.MaxAge >= 0 {
			t.Errorf("the confirmation's cookie is not cleared when shown: %v", c)
		}
		if again := s.call(t, "GET", page, community, nil); bytes.Contains(again.body, []byte(`class="flash"`)) {
			t.Errorf("the confirmation is shown a second time")
		}

		// A refused step: the page answers the POST; its language switch returns to the appeal, not to the POST's address.
		refused := s.call(t, "POST", page+"/actions/request_info", community, formBody(url.Values{"version": {"999"}}),
			"Referer", s.url+page)
		if refused.code < 400 || !bytes.Contains(refused.body, []byte(`name="back" value="`+page+`"`)) {
			t.Errorf("a refused step: %d, the language switch does not return to %s", refused.code, page)
		}

		// Opening the appeal reads its notices.
		s.step(t, "community", a.ID, appeal.Dispatch, appealweb.ActionInput{Lead: s.deptIDs(t)["hrss"]}, appeal.Dispatched)
		unread := func() int {
			var in struct {
				Items []struct {
					AppealID int64 `json:"appeal_id"`
					Read     bool  `json:"read"`
				} `json:"items"`
			}
			s.as(t, "dept_hrss", "GET", "/api/v1/inbox?size=200", nil).json(t, &in)
			n := 0
			for _, x := range in.Items {
				if x.AppealID == a.ID && !x.Read {
					n++
				}
			}
			return n
		}
		if unread() == 0 {
			t.Fatal("the dispatch left the department no notice")
		}
		s.as(t, "dept_hrss", "GET", page, nil)
		if n := unread(); n != 0 {
			t.Errorf("%d notices of the appeal unread after opening it", n)
		}

		// The users list counts people and names regions.
		users := string(s.as(t, "admin", "GET", "/users?q=grid", nil).body)
		if !strings.Contains(users, "人</p>") || strings.Contains(users, `<td data-label="`+translate("zh", "users.scope")+`">`+showGrid+`</td>`) {
			t.Errorf("the users list counts in 家 or shows a raw region code")
		}

		// The lawyer's and the financier's home pages say what their work is.
		for _, who := range []string{"lawyer", "finance"} {
			home := s.as(t, who, "GET", "/", nil)
			if !bytes.Contains(home.body, []byte(`id="home-role"`)) || !bytes.Contains(home.body, []byte(translate("zh", "home.role_"+who))) {
				t.Errorf("%s's home page says nothing of the role's work", who)
			}
		}
	})
}

// TestGroupNotices groups a page of notices by appeal, newest first.
func TestGroupNotices(t *testing.T) {
	list := []store.Notice{{ID: 5, AppealID: 9}, {ID: 4, AppealID: 7, Read: true}, {ID: 3, AppealID: 9, Read: true},
		{ID: 2}, {ID: 1}}
	g := groupNotices(list)
	if len(g) != 4 || g[0].Latest.ID != 5 || len(g[0].Older) != 1 || g[0].Older[0].ID != 3 || g[0].Unread != 1 ||
		g[1].Latest.ID != 4 || g[1].Unread != 0 || g[2].Latest.ID != 2 || g[3].Latest.ID != 1 {
		t.Errorf("groups %+v", g)
	}
}

// TestEnterpriseHome checks the enterprise's home page on a phone: its
// services with what waits in each, and the tab bar; staff have no tab bar.
func TestEnterpriseHome(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		s.raise(t, "首页服务")
		home := s.as(t, "enterprise", "GET", "/", nil)
		for _, id := range []string{`id="services"`, `id="svc-raise"`, `id="svc-tracking"`, `id="svc-to_rate"`, `id="svc-inbox"`,
			`id="svc-profile"`, `class="tabbar"`, `class="has-tabs"`} {
			if !bytes.Contains(home.body, []byte(id)) {
				t.Errorf("the enterprise's home page lacks %s", id)
			}
		}
		if staff := s.as(t, "community", "GET", "/", nil); bytes.Contains(staff.body, []byte(`class="tabbar"`)) {
			t.Errorf("a community's page has the enterprise's tab bar")
		}
	})
}

// TestPasswordProfileHTTP chooses the password rules on the users page's
// card and through the API (on a store of its own: the rules apply to
// every user).
func TestPasswordProfileHTTP(t *testing.T) {
	eachFreshStore(t, func(t *testing.T, s *site) {
		page := s.as(t, "admin", "GET", "/users", nil)
		if !bytes.Contains(page.body, []byte(`id="password-profile"`)) {
			t.Errorf("the users page has no card of the password rules")
		}
		if res := s.as(t, "community", "GET", "/users", nil); bytes.Contains(res.body, []byte(`id="password-profile"`)) {
			t.Errorf("a community sees the card of the password rules")
		}
		res := s.as(t, "admin", "PUT", "/api/v1/password-profile", jsonBody(profileInput{Profile: "djcp3"}))
		if res.code != http.StatusOK || !bytes.Contains(res.body, []byte(`"profile":"djcp3"`)) {
			t.Fatalf("choose 等保三级: %d %s", res.code, res.body)
		}
		id := s.userID(t, "grid")
		if res := s.as(t, "admin", "POST", fmt.Sprintf("/api/v1/users/%d/password", id), jsonBody(passwordInput{Password: "Tq7#vLm2"})); res.code != http.StatusNoContent {
			t.Errorf("an 8-character password of four classes under 等保三级: %d %s", res.code, res.body)
		}
		wantError(t, "an unknown profile", s.as(t, "admin", "PUT", "/api/v1/password-profile", jsonBody(profileInput{Profile: "weak"})),
			http.StatusUnprocessableEntity, "")
	})
}

// TestSecondFactorHTTP: a community staff member turns on two-step sign-in
// from the QR page; a new session is then sent to the code page for every
// page and refused on the API until it gives the next code.
func TestSecondFactorHTTP(t *testing.T) {
	eachFreshStore(t, func(t *testing.T, s *site) {
		page := s.as(t, "community", "GET", "/account/second-factor", nil)
		m := regexp.MustCompile(`id="secret">([A-Z2-7]+)<`).FindSubmatch(page.body)
		if page.code != http.StatusOK || m == nil || !bytes.Contains(page.body, []byte(`src="data:image/png;base64,`)) {
			t.Fatalf("the set-up page: %d, no secret or QR code", page.code)
		}
		secret := string(m[1])
		step := account.TOTPStepOf(time.Now())
		code := func(n int64) string { c, _ := account.TOTPCode(secret, n); return c }
		if res := s.as(t, "community", "POST", "/account/second-factor", formBody(url.Values{"secret": {secret}, "code": {code(step)}})); res.code != http.StatusSeeOther {
			t.Fatalf("turn it on: %d %.300s", res.code, res.body)
		}
		fresh := s.freshLogin(t, "community", demo.Password)
		if res := s.call(t, "GET", "/appeals", fresh, nil); res.code != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/login/code") {
			t.Errorf("a page before the code: %d to %q, want the code page", res.code, res.header.Get("Location"))
		}
		wantError(t, "the API before the code", s.call(t, "GET", "/api/v1/appeals", fresh, nil), http.StatusUnauthorized, "second_factor_required")
		if res := s.call(t, "POST", "/login/code", fresh, formBody(url.Values{"code": {"000000"}})); res.code != http.StatusUnprocessableEntity {
			t.Errorf("a wrong code: %d", res.code)
		}
		if res := s.call(t, "POST", "/login/code", fresh, formBody(url.Values{"code": {code(step + 1)}, "next": {"/appeals"}})); res.code != http.StatusSeeOther ||
			res.header.Get("Location") != "/appeals" {
			t.Errorf("the right code: %d to %q", res.code, res.header.Get("Location"))
		}
		if res := s.call(t, "GET", "/appeals", fresh, nil); res.code != http.StatusOK {
			t.Errorf("a page after the code: %d", res.code)
		}
		if res := s.as(t, "admin", "POST", fmt.Sprintf("/api/v1/users/%d/second-factor/reset", s.userID(t, "community")), nil); res.code != http.StatusNoContent {
			t.Errorf("reset it: %d", res.code)
		}
	})
}

// TestRefusedStepNearItsForm: a refused step on the appeal page is said in
// its own form, beside the field, which takes the focus (the page opens
// there), and the message at the top links to it.
func TestRefusedStepNearItsForm(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		a := s.raise(t, "拒绝提示")
		s.step(t, "community", a.ID, appeal.Accept, appealweb.ActionInput{}, appeal.Accepted)
		v := s.appealView(t, "community", a.ID)
		res := s.as(t, "community", "POST", fmt.Sprintf("/appeals/%d/actions/request_info", a.ID),
			formBody(url.Values{"version": {fmt.Sprint(v.Version)}}))
		body := string(res.body)
		form := body[max(0, strings.Index(body, `id="act-request_info"`)):]
		form = form[:max(0, strings.Index(form, "</form>"))]
		if res.code != http.StatusUnprocessableEntity || !strings.Contains(form, `class="error"`) || !strings.Contains(form, "autofocus") ||
			!strings.Contains(body, `href="#act-request_info"`) {
			t.Errorf("a refused step: %d, its form says it %v, takes the focus %v, the top links to it %v", res.code,
				strings.Contains(form, `class="error"`), strings.Contains(form, "autofocus"), strings.Contains(body, `href="#act-request_info"`))
		}
	})
}
