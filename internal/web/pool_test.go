package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/demo"
	"qifu/internal/enterprise"
	"qifu/internal/pool"
	"qifu/internal/pool/pooldb"
	"qifu/internal/pool/poolweb"
	"qifu/internal/web/core"
)

// enterpriseAccount opens an account of the enterprise e (the demo has
// one only, the showcase enterprise's) and returns its username.
func (s *site) enterpriseAccount(t testing.TB, e enterprise.Enterprise) string {
	t.Helper()
	name := fmt.Sprintf("ent%d", codeSeq.Add(1))
	if _, err := s.st.CreateUser(context.Background(), access.System("test"), account.User{Username: name, Name: e.Contact,
		Role: access.RoleEnterprise, EnterpriseID: s.entID(t, e.CreditCode)}, demo.Password); err != nil {
		t.Fatal(err)
	}
	return name
}

var (
	locationLoan = regexp.MustCompile(`^/pool/loans/(\d+)$`)
	codeValue    = regexp.MustCompile(`id="pool-code-value">([^<]+)<`)
	versionField = regexp.MustCompile(`name="version" value="(\d+)"`)
)

// wantPage fails the test unless res is a page of status code holding
// each of the strings.
func wantPage(t testing.TB, what string, res result, code int, has ...string) {
	t.Helper()
	if res.code != code {
		t.Fatalf("%s: %d, want %d: %.300s", what, res.code, code, res.body)
	}
	for _, s := range has {
		if !bytes.Contains(res.body, []byte(s)) {
			t.Errorf("%s: the page lacks %q", what, s)
		}
	}
}

// wantSeeOther fails the test unless res sends the browser to location.
func wantSeeOther(t testing.TB, what string, res result, location string) {
	t.Helper()
	if res.code != http.StatusSeeOther || res.header.Get("Location") != location {
		t.Fatalf("%s: %d to %q, want 303 to %s: %s", what, res.code, res.header.Get("Location"), location, regexp.MustCompile(`(?s)<p class="error"[^>]*>.*?</p>|<em class="fielderr">.*?</em>`).FindAll(res.body, -1))
	}
}

// TestPoolPages walks a loan of the employee turnover pool along its main
// path through the pages' forms and the API, as the people who take each
// step: the lender offers a worker on its phone, the borrower posts a need,
// the community runs the matcher and proposes, the lender chooses, the
// community gives the worker a one-time code shown once, the worker opens
// their page and consents, the two seal (an e-seal, a sealed scan), the
// lender covers, the borrower trains, starts, records a day and builds the
// month's sheet, both confirm it (the lender only when paid in full), and
// the worker returns. Records shared with the community only are not found
// by another enterprise nor by another community's staff; the worker's
// phone is masked for staff and in full for the lender.
func TestPoolPages(t *testing.T) {
	eachFreshStore(t, func(t *testing.T, s *site) {
		lenderID := s.entID(t, poolLender.CreditCode)
		// The borrower is in the lender's grid: the matcher's nearest pair.
		borrowerE, ok := pick(func(e enterprise.Enterprise) bool {
			return e.GridCode == showGrid && e.CreditCode != poolLender.CreditCode
		})
		if !ok {
			t.Fatal("no second enterprise in the showcase grid")
		}
		borrowerID := s.entID(t, borrowerE.CreditCode)
		borrower := s.enterpriseAccount(t, borrowerE)
		outsiderE, ok := pick(func(e enterprise.Enterprise) bool { return e.CommunityCode != showCommunity })
		if !ok {
			t.Fatal("no enterprise outside the showcase community")
		}
		outsider := s.enterpriseAccount(t, outsiderE)
		var otherStaff string
		for _, u := range dataset.Users {
			if u.Role == access.RoleCommunityStaff && u.RegionCode != showCommunity {
				otherStaff = u.Username
				break
			}
		}
		if otherStaff == "" {
			t.Fatal("no community staff outside the showcase community")
		}

		// The lender offers a packer with a health certificate on its
		// phone's form, shared with its community only.
		w := s.newPoolWorker()
		w.Share, w.Certs = "community", []pool.Cert{{Kind: "health", Expires: s.poolDay(400)}}
		offer := url.Values{"work_types": {"packing", "general"}, "from": {w.From}, "to": {w.To}, "shift": {"both"}, "share": {"community"},
			"name_0": {w.Name}, "phone_0": {w.Phone}, "id_0": {w.IDNumber}, "contract_0": {w.ContractEnd}, "cert_0": {"health"},
			"expires_0": {s.poolDay(400)}}
		wantSeeOther(t, "offer a worker", s.as(t, "enterprise", "POST", "/pool/workers", formBody(offer)), "/pool/workers")
		// The same person twice is refused on the form, as typed.
		res := s.as(t, "enterprise", "POST", "/pool/workers", formBody(offer))
		wantPage(t, "offer the same person twice", res, http.StatusUnprocessableEntity, `id="pool-offer-error"`, "已在池中", w.IDNumber)
		// A contract that ended is refused on its field.
		late := s.newPoolWorker()
		res = s.as(t, "enterprise", "POST", "/pool/workers", formBody(url.Values{"work_types": {"packing"}, "from": {late.From},
			"to": {s.poolDay(-1)}, "shift": {"both"}, "name_0": {late.Name}, "phone_0": {late.Phone}, "id_0": {late.IDNumber},
			"contract_0": {s.poolDay(-1)}}))
		wantPage(t, "offer a worker whose contract ended", res, http.StatusUnprocessableEntity, "劳动合同已到期，不能出借")

		// The lender's own list shows the phone and ID number in full; the
		// community's, masked.
		workerOf := func(username string) pool.Worker {
			t.Helper()
			var l core.List[pool.Worker]
			s.poolCall(t, username, "GET", fmt.Sprintf("/api/v1/pool/workers?enterprise=%d&size=200", lenderID), nil, http.StatusOK, &l)
			for _, x := range l.Items {
				if x.Name == w.Name {
					return x
				}
			}
			t.Fatalf("%s does not see the worker offered", username)
			return pool.Worker{}
		}
		mine := workerOf("enterprise")
		if mine.Phone != w.Phone || mine.IDNumber != w.IDNumber || mine.Status != pool.WorkerAvailable || mine.Share != poolLender.CommunityCode {
			t.Errorf("the lender's worker: %+v", mine)
		}
		if staff := workerOf("community"); staff.Phone != access.MaskPhone(w.Phone) || staff.IDNumber != access.MaskIDNumber(w.IDNumber) {
			t.Errorf("the community sees phone %q and ID number %q, want them masked", staff.Phone, staff.IDNumber)
		}
		wantPage(t, "the worker's page as the lender", s.as(t, "enterprise", "GET", fmt.Sprintf("/pool/workers/%d", mine.ID), nil),
			http.StatusOK, w.Phone)

		// The borrower posts a need through the API; a need for no one is
		// refused on the form with a Chinese message, and by the API with
		// its code and field.
		// Hands for today only: the worker returns at the end the same day.
		n := s.newPoolNeed(0, 1)
		n.Share, n.Certs, n.To, n.NeededBy = "community", []string{"health"}, s.poolDay(0), s.poolDay(0)
		var need pool.Need
		s.poolCall(t, borrower, "POST", "/api/v1/pool/needs", n, http.StatusCreated, &need)
		if need.EnterpriseID != borrowerID || need.Status != pool.NeedOpen || need.Share != borrowerE.CommunityCode {
			t.Errorf("the need posted: %+v", need)
		}
		form := needForm(n)
		form.Set("heads", "0")
		res = s.as(t, borrower, "POST", "/pool/needs", formBody(form))
		wantPage(t, "a need for no one", res, http.StatusUnprocessableEntity, `id="pool-need-form"`, "人数须在1到500之间")
		if res := s.call(t, "POST", "/pool/needs", nil, formBody(form), "Cookie",
			core.LangCookie+"=en; "+core.SessionCookie+"="+s.login(t, borrower).Value); !bytes.Contains(res.body, []byte("heads must be 1 to 500")) {
			t.Errorf("a need for no one in English: %d, lacks the English message", res.code)
		}
		zero := n
		zero.Heads = 0
		res = s.as(t, borrower, "POST", "/api/v1/pool/needs", jsonBody(zero))
		var e core.ErrorBody
		res.json(t, &e)
		if res.code != http.StatusUnprocessableEntity || e.Error.Code != "invalid_input" || !strings.Contains(e.Error.Fields["heads"], "人数") {
			t.Errorf("a need for no one through the API: %d %s", res.code, res.body)
		}

		// Out of the need's and the worker's community they are not found.
		for _, who := range []string{outsider, otherStaff} {
			for _, path := range []string{fmt.Sprintf("/pool/needs/%d", need.ID), fmt.Sprintf("/api/v1/pool/needs/%d", need.ID),
				fmt.Sprintf("/pool/workers/%d", mine.ID), fmt.Sprintf("/api/v1/pool/workers/%d", mine.ID)} {
				if res := s.as(t, who, "GET", path, nil); res.code != http.StatusNotFound {
					t.Errorf("GET %s as %s: %d, want 404", path, who, res.code)
				}
			}
		}

		// The community's matcher proposes the lender for the need, with
		// its reasons; the staff propose it.
		res = s.as(t, "community", "GET", "/pool/match", nil)
		wantPage(t, "the matcher", res, http.StatusOK, fmt.Sprintf(`id="pool-match-%d"`, need.ID))
		section := res.body[bytes.Index(res.body, []byte(fmt.Sprintf(`id="pool-match-%d"`, need.ID))):]
		section = section[:bytes.Index(section, []byte("</section>"))]
		for _, want := range []string{fmt.Sprintf(`name="need" value="%d"`, need.ID), fmt.Sprintf(`name="lender" value="%d"`, lenderID), "同一网格"} {
			if !bytes.Contains(section, []byte(want)) {
				t.Errorf("the matcher's proposal for the need lacks %q: %s", want, section)
			}
		}
		res = s.as(t, "community", "POST", "/pool/loans", formBody(url.Values{"need": {fmt.Sprint(need.ID)}, "lender": {fmt.Sprint(lenderID)},
			"heads": {"1"}}))
		m := locationLoan.FindStringSubmatch(res.header.Get("Location"))
		if res.code != http.StatusSeeOther || m == nil {
			t.Fatalf("propose: %d to %q", res.code, res.header.Get("Location"))
		}
		loanPath := m[0]
		apiLoan := "/api/v1" + loanPath
		loan := func(username string) pool.Loan {
			t.Helper()
			var l pool.Loan
			s.poolCall(t, username, "GET", apiLoan, nil, http.StatusOK, &l)
			return l
		}

		// The lender sees its worker among the candidates and chooses it.
		res = s.as(t, "enterprise", "GET", loanPath, nil)
		wantPage(t, "the proposal as the lender", res, http.StatusOK, `id="pool-choose-form"`, fmt.Sprintf(`name="workers" value="%d"`, mine.ID))
		l := loan("enterprise")
		if l.State != pool.MatchProposed || l.Step != "choose" || l.LenderID != lenderID || l.BorrowerID != borrowerID {
			t.Fatalf("the proposal: %+v", l)
		}
		wantSeeOther(t, "choose", s.as(t, "enterprise", "POST", loanPath+"/choose", formBody(url.Values{"workers": {fmt.Sprint(mine.ID)},
			"version": {fmt.Sprint(l.Version)}})), loanPath)
		l = loan("enterprise")
		if l.State != pool.MatchChosen || len(l.Placements) != 1 || l.Placements[0].Phone != w.Phone {
			t.Fatalf("chosen, as the lender: %+v", l)
		}
		p := l.Placements[0]
		for _, who := range []string{"community", borrower} { // the borrower sees the phone once the worker consents
			if got := loan(who).Placements[0].Phone; got != access.MaskPhone(w.Phone) {
				t.Errorf("the placement's phone as %s: %q, want masked", who, got)
			}
		}

		// The loan is not found out of the community, nor by another enterprise.
		for _, who := range []string{outsider, otherStaff} {
			for _, path := range []string{loanPath, apiLoan, apiLoan + "/sheets"} {
				if res := s.as(t, who, "GET", path, nil); res.code != http.StatusNotFound {
					t.Errorf("GET %s as %s: %d, want 404", path, who, res.code)
				}
			}
		}
		res = s.as(t, outsider, "POST", apiLoan+"/seals/borrower", jsonBody(map[string]string{"kind": "eseal", "reference": "ESEAL-OUT-0001"}))
		wantError(t, "another enterprise seals", res, http.StatusNotFound, "not_found")

		// The community gives the worker a one-time code: shown once.
		res = s.as(t, "community", "POST", fmt.Sprintf("/pool/placements/%d/code", p.ID), formBody(url.Values{"loan": {fmt.Sprint(l.ID)},
			"worker": {p.Worker}}))
		wantPage(t, "the code", res, http.StatusOK, `id="pool-code"`, w.Name)
		cm := codeValue.FindSubmatch(res.body)
		if cm == nil {
			t.Fatalf("the code is not on the page: %.300s", res.body)
		}
		code := string(cm[1])
		if again := s.as(t, "community", "GET", loanPath, nil); bytes.Contains(again.body, []byte(code)) || bytes.Contains(again.body, []byte(`id="pool-code"`)) {
			t.Error("the code is shown again")
		}
		// A form naming no loan of the placement gets no code: the one
		// given stays good.
		for _, other := range []string{"", fmt.Sprint(l.ID + 1000)} {
			res := s.as(t, "community", "POST", fmt.Sprintf("/pool/placements/%d/code", p.ID), formBody(url.Values{"loan": {other}, "worker": {p.Worker}}))
			if res.code != http.StatusNotFound {
				t.Errorf("a code for the placement on loan %q: %d, want 404", other, res.code)
			}
		}

		// The worker opens their page with it (no account), once, and consents.
		res = s.call(t, "POST", "/w", nil, formBody(url.Values{"code": {strings.ToLower(code)}}))
		wantSeeOther(t, "open the worker's page", res, "/w/me")
		cookie := res.cookie(poolweb.WorkerCookie)
		if cookie == nil || cookie.Value == "" || !cookie.HttpOnly {
			t.Fatalf("the worker's page: no token cookie (%+v)", cookie)
		}
		wantSeeOther(t, "the code form with a token", s.call(t, "GET", "/w", cookie, nil), "/w/me")
		res = s.call(t, "POST", "/w", nil, formBody(url.Values{"code": {code}}))
		wantPage(t, "the code used again", res, http.StatusUnprocessableEntity, "确认码不正确、已使用或已过期")
		res = s.call(t, "GET", "/w/me", cookie, nil)
		wantPage(t, "the worker's page", res, http.StatusOK, `id="pool-me-agreement"`, `id="pool-me-yes"`, borrowerE.Name, "共享用工协议")
		vm := versionField.FindSubmatch(res.body)
		if vm == nil {
			t.Fatal("the consent form has no version")
		}
		wantSeeOther(t, "consent", s.call(t, "POST", "/w/me/answer", cookie, formBody(url.Values{"consent": {"yes"}, "version": {string(vm[1])}})), "/w/me")
		res = s.call(t, "GET", "/w/me", cookie, nil)
		wantPage(t, "the worker's page after consent", res, http.StatusOK, translate("zh", "pplace.consented"), `id="pool-me-withdraw"`)
		if bytes.Contains(res.body, []byte(`id="pool-me-yes"`)) {
			t.Error("the worker is asked to consent again")
		}
		if got := loan(borrower).Placements[0].Phone; got != w.Phone {
			t.Errorf("the borrower sees the consenting worker's phone %q, want %q", got, w.Phone)
		}

		// The seals: a click is not a seal; the lender seals with an e-seal
		// through the API, the borrower uploads a sealed scan on its page.
		res = s.as(t, borrower, "POST", apiLoan+"/seals/borrower", jsonBody(map[string]string{"kind": "scan"}))
		wantError(t, "a scan claimed without a file", res, http.StatusUnprocessableEntity, "invalid_input")
		s.poolCall(t, "enterprise", "POST", apiLoan+"/seals/lender", map[string]string{"kind": "eseal", "reference": "ESEAL-2026-000123"},
			http.StatusOK, &l)
		if l.LenderSeal != "eseal" || l.BorrowerSeal != "" {
			t.Errorf("sealed by the lender: %q %q", l.LenderSeal, l.BorrowerSeal)
		}
		res = s.as(t, borrower, "POST", loanPath+"/seal", multipartBody(nil, map[string]string{"party": "borrower", "kind": "scan"}))
		wantPage(t, "a scan without a file", res, http.StatusUnprocessableEntity, "请选择盖章协议的扫描件")
		scan := aPNG(t)
		wantSeeOther(t, "seal with a scan", s.as(t, borrower, "POST", loanPath+"/seal",
			photoBody(t, "file", scan, url.Values{"party": {"borrower"}, "kind": {"scan"}})), loanPath)
		if res := s.as(t, "enterprise", "GET", loanPath+"/seals/borrower", nil); res.code != http.StatusOK || !bytes.Equal(res.body, scan) {
			t.Errorf("the borrower's sealed scan as the lender: %d, %d bytes", res.code, len(res.body))
		}
		if res := s.as(t, outsider, "GET", loanPath+"/seals/borrower", nil); res.code != http.StatusNotFound {
			t.Errorf("the sealed scan as another enterprise: %d, want 404", res.code)
		}

		// The worker may not start before the training; the lender covers,
		// the borrower trains and starts.
		l = loan(borrower)
		res = s.as(t, borrower, "POST", loanPath+"/start", formBody(url.Values{"placement": {fmt.Sprint(p.ID)},
			"version": {fmt.Sprint(l.Placements[0].Version)}}))
		wantPage(t, "start before the training", res, http.StatusUnprocessableEntity, `id="pool-loan-error"`, "尚未记录岗前培训")
		wantSeeOther(t, "cover", s.as(t, "enterprise", "POST", loanPath+"/cover", formBody(url.Values{"placement": {fmt.Sprint(p.ID)},
			"cover_ref": {"GS330206-2026-0088"}, "cover_until": {s.poolDay(365)}})), loanPath)
		wantSeeOther(t, "train", s.as(t, borrower, "POST", loanPath+"/train", formBody(url.Values{"note": {"安全员讲解包装线操作与消防逃生，2小时"},
			"version": {fmt.Sprint(l.Version)}})), loanPath)
		l = loan(borrower)
		wantSeeOther(t, "start", s.as(t, borrower, "POST", loanPath+"/start", formBody(url.Values{"placement": {fmt.Sprint(p.ID)},
			"version": {fmt.Sprint(l.Placements[0].Version)}})), loanPath)
		if l = loan("community"); l.State != pool.MatchActive || l.Placements[0].State != pool.PlaceOnSite || l.FirstOnSite.IsZero() {
			t.Fatalf("started: %+v", l)
		}

		// A day worked, the month's sheet, confirmed by both: the lender
		// only when it paid the worker in full.
		today, month := s.poolDay(0), s.poolDay(0)[:7]
		wantSeeOther(t, "attendance", s.as(t, borrower, "POST", loanPath+"/attendance", formBody(url.Values{"day": {today},
			"placements": {fmt.Sprint(p.ID)}})), loanPath)
		wantSeeOther(t, "the sheet", s.as(t, borrower, "POST", loanPath+"/sheets", formBody(url.Values{"month": {month}})), loanPath)
		sheet := func() pool.Sheet {
			t.Helper()
			var l core.Items[pool.Sheet]
			s.poolCall(t, "enterprise", "GET", apiLoan+"/sheets", nil, http.StatusOK, &l)
			if len(l.Items) != 1 || l.Items[0].Month != month || len(l.Items[0].Lines) != 1 {
				t.Fatalf("the sheets: %+v", l.Items)
			}
			return l.Items[0]
		}
		sh := sheet()
		if sh.Total != need.DailyCost || sh.Lines[0].Days != 1 {
			t.Errorf("the sheet: %+v, want one day of %d yuan", sh, need.DailyCost)
		}
		wantSeeOther(t, "the borrower confirms", s.as(t, borrower, "POST", loanPath+"/sheets/confirm", formBody(url.Values{"month": {month},
			"party": {"borrower"}, "version": {fmt.Sprint(sh.Version)}})), loanPath)
		sh = sheet()
		paid := func(amount, fee int) url.Values {
			return url.Values{"month": {month}, "party": {"lender"}, "version": {fmt.Sprint(sh.Version)}, "placement": {fmt.Sprint(p.ID)},
				fmt.Sprintf("paid_%d", p.ID): {fmt.Sprint(amount)}, fmt.Sprintf("fee_%d", p.ID): {fmt.Sprint(fee)}}
		}
		res = s.as(t, "enterprise", "POST", loanPath+"/sheets/confirm", formBody(paid(sh.Total-30, 30)))
		wantPage(t, "the lender keeps a fee", res, http.StatusUnprocessableEntity, `id="pool-loan-error"`, "费用或扣款")
		res = s.as(t, "enterprise", "POST", apiLoan+"/sheets/"+month+"/confirm", jsonBody(map[string]any{"party": "lender",
			"paid": []pooldb.Payment{{PlacementID: p.ID, Paid: sh.Total - 1}}, "version": sh.Version}))
		wantError(t, "the lender pays less", res, http.StatusUnprocessableEntity, "pool_rule_wage_full")
		wantSeeOther(t, "the lender confirms paid in full", s.as(t, "enterprise", "POST", loanPath+"/sheets/confirm",
			formBody(paid(sh.Total, 0))), loanPath)
		if sh = sheet(); sh.BorrowerConfirmed.IsZero() || sh.LenderConfirmed.IsZero() || sh.Lines[0].Paid != sh.Total {
			t.Errorf("the sheet confirmed: %+v", sh)
		}

		// The worker returns at the end; the worker is back in the pool,
		// the page still opens, with a rating to give.
		l = loan("enterprise")
		wantSeeOther(t, "return", s.as(t, "enterprise", "POST", loanPath+"/end", formBody(url.Values{"placement": {fmt.Sprint(p.ID)},
			"version": {fmt.Sprint(l.Placements[0].Version)}})), loanPath)
		if l = loan("community"); l.State != pool.MatchEnded || l.Placements[0].State != pool.PlaceReturned {
			t.Errorf("returned: state %s, placement %s", l.State, l.Placements[0].State)
		}
		if back := workerOf("enterprise"); back.Status != pool.WorkerAvailable {
			t.Errorf("the worker returned is %s", back.Status)
		}
		wantPage(t, "the worker's page after the return", s.call(t, "GET", "/w/me", cookie, nil), http.StatusOK,
			translate("zh", "pplace.returned"), `id="pool-me-rate"`)
		wantSeeOther(t, "the borrower rates", s.as(t, borrower, "POST", loanPath+"/rate", formBody(url.Values{"party": {"borrower"},
			"stars": {"5"}})), loanPath)
		wantPage(t, "the loan ended", s.as(t, "community", "GET", loanPath, nil), http.StatusOK, `id="pool-ratings"`,
			translate("zh", "pstate.ended"))

		// The community's figures count the loan.
		var fig struct {
			Total pooldb.Figures `json:"total"`
		}
		s.poolCall(t, "community", "GET", "/api/v1/pool/figures", nil, http.StatusOK, &fig)
		if f := fig.Total; f.Lent < 1 || f.Days < 1 || f.Settled < int64(need.DailyCost) || f.Filled < 1 || f.HoursMedian < 0 {
			t.Errorf("the community's figures: %+v", f)
		}
		// The workbook of the figures and loans speaks the page's language:
		// its words are the catalog's (export.go looks them up by a
		// variable, which the scan of used keys does not see).
		for _, lang := range []string{"zh", "en"} {
			res := s.call(t, "GET", "/pool/figures.xlsx", nil, nil, "Cookie", core.LangCookie+"="+lang+"; "+core.SessionCookie+"="+s.login(t, "community").Value)
			if res.code != http.StatusOK {
				t.Fatalf("the workbook in %s: %d", lang, res.code)
			}
			book, err := excelize.OpenReader(bytes.NewReader(res.body))
			if err != nil {
				t.Fatal(err)
			}
			sheets := book.GetSheetList()
			if want := []string{translate(lang, "po.figures"), translate(lang, "po.loans")}; !slices.Equal(sheets, want) {
				t.Errorf("the workbook in %s has the sheets %q, want %q", lang, sheets, want)
			}
			for _, name := range sheets {
				rows, err := book.GetRows(name)
				if err != nil || len(rows) < 2 {
					t.Fatalf("sheet %s in %s: %d rows, %v", name, lang, len(rows), err)
				}
				for _, h := range rows[0] {
					if h == "" || strings.HasPrefix(h, "po.") || strings.HasPrefix(h, "common.") {
						t.Errorf("sheet %s in %s: the header %q is not a word", name, lang, h)
					}
				}
			}
			if rows, _ := book.GetRows(translate(lang, "po.loans")); len(rows) < 2 || rows[1][0] != fmt.Sprint(l.ID) ||
				rows[1][6] != translate(lang, "pstate.ended") {
				t.Errorf("the loans' sheet in %s: %q", lang, rows)
			}
		}
	})
}
