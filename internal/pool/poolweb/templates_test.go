package poolweb

import (
	"strings"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/pool"
	"qifu/internal/pool/pooldb"
	"qifu/internal/web/core"
	"qifu/internal/web/core/coretest"
)

// examples are the module's pages filled in: every state a page has.
func examples() map[string][]core.Page {
	now := time.Now()
	pg := core.Pager{Number: 2, Pages: 3, Total: 45, Size: 20, PrevURL: "/x?page=1", NextURL: "/x?page=3"}
	worker := pool.Worker{ID: 11, EnterpriseID: 3, Enterprise: "宁波海帆电机有限公司", TeamID: 2, Name: "张伟", Phone: "138****5678",
		IDNumber: "330***********1233", WorkTypes: []pool.WorkType{"packing", "general"},
		Certs:       []pool.Cert{{Kind: "forklift", Expires: "2027-06-30"}, {Kind: "health"}},
		ContractEnd: "2027-12-31", From: "2026-12-07", To: "2027-02-28", Shift: "both", Share: "330206001001", Status: pool.WorkerAvailable,
		Version: 1, CreatedAt: now}
	lent := worker
	lent.ID, lent.Name, lent.TeamID, lent.Certs, lent.Status = 12, "李娜", 0, nil, pool.WorkerLent
	need := pool.Need{ID: 5, EnterpriseID: 4, Enterprise: "宁波仑达贸易有限公司", WorkType: "packing", Heads: 10, Taken: 4, From: "2026-12-10",
		To: "2027-01-20", Site: "北仑区新碶街道明州路 88 号三号车间", Shift: "day", DailyCost: 280, Certs: []string{"health"},
		Training: "半天岗前培训：包装线操作规程与消防安全", Transport: true, Lodging: true, NeededBy: "2026-12-12", Contact: "李主管",
		Phone: "13912345678", Share: "330206", Status: pool.NeedOpen, PostedAt: now, Version: 2}
	filled := need
	filled.ID, filled.Status, filled.Taken, filled.Certs, filled.Transport, filled.Lodging, filled.FirstOnSite = 6, pool.NeedFilled, 10, nil, false, false, now.Add(time.Hour)
	reasons := []fault.Msg{{Zh: "工种相符：包装工，该企业有 3 人符合，建议借 2 人", En: "work type fits: Packer; 3 of the lender's workers fit, 2 proposed"},
		{Zh: "距离：同一社区", En: "distance: same community"}}
	placement := pool.Placement{ID: 21, MatchID: 9, WorkerID: 11, Worker: "张伟", Phone: "138****5678", State: pool.PlaceChosen,
		From: "2026-12-10", To: "2027-01-20", ChosenAt: now, Version: 1}
	consented := placement
	consented.ID, consented.Worker, consented.State, consented.ConsentedAt, consented.AnsweredAt = 22, "李娜", pool.PlaceConsented, now, now
	consented.CoverRef, consented.CoverUntil, consented.Version = "GS330206-2026-0088", "2027-06-30", 3
	onSite := consented
	onSite.ID, onSite.State, onSite.StartedAt, onSite.Days, onSite.ExtTo = 23, pool.PlaceOnSite, now, 12, "2027-02-28"
	returned := onSite
	returned.ID, returned.State, returned.ExtTo, returned.EndedAt, returned.EndedBy = 24, pool.PlaceReturned, "", now, "lender"
	early := onSite
	early.ID, early.State, early.ExtTo, early.EndedAt, early.EndReason, early.EndedBy = 25, pool.PlaceEarly, "", now, "出借企业订单恢复，需召回", "lender"
	loan := pool.Loan{ID: 9, NeedID: 5, LenderID: 3, Lender: worker.Enterprise, BorrowerID: 4, Borrower: need.Enterprise, Heads: 2,
		State: pool.MatchProposed, Reasons: reasons, ProposedAt: now, Need: need, Version: 1, Step: "choose", StepDue: now.Add(24 * time.Hour), Colour: "green"}
	chosen := loan
	chosen.State, chosen.ChosenAt, chosen.Placements, chosen.Version, chosen.Step, chosen.Colour = pool.MatchChosen, now, []pool.Placement{placement, consented}, 2, "consent", "yellow"
	chosen.LenderSeal, chosen.LenderSealedAt, chosen.Compensation = "scan", now, "工伤由出借方按工伤保险待遇承担"
	active := chosen
	active.State, active.Placements, active.BorrowerSeal, active.BorrowerSealedAt = pool.MatchActive, []pool.Placement{consented, onSite}, "eseal", now
	active.TrainedAt, active.TrainingNote, active.FirstOnSite, active.Step, active.Colour = now, "安全员讲解操作规程和消防逃生，2小时", now, "start", "red"
	ended := active
	ended.State, ended.Placements, ended.EndedAt, ended.EndReason, ended.Step, ended.Colour = pool.MatchEnded, []pool.Placement{returned, early}, now, "员工全部返回", "", ""
	steps := func(m pool.Loan) []stepView {
		var out []stepView
		for _, st := range pool.Steps {
			v := stepView{Code: st.Code, Done: "2026-12-06 09:00"}
			if st.Code == m.Step {
				v = stepView{Code: st.Code, Due: "2026-12-07 09:00", Colour: m.Colour}
			}
			out = append(out, v)
		}
		return out
	}
	sheet := pool.Sheet{ID: 1, MatchID: 9, Month: "2026-12", Lines: []pool.Line{{PlacementID: 23, Worker: "李娜", Days: 12, Rate: 280, Amount: 3360}},
		Total: 3360, Version: 1}
	settled := sheet
	settled.ID, settled.Month, settled.BorrowerConfirmed, settled.LenderConfirmed, settled.Version = 2, "2026-11", now, now, 3
	settled.Lines = []pool.Line{{PlacementID: 23, Worker: "李娜", Days: 20, Rate: 280, Amount: 5600, Paid: 5600}}
	figures := pooldb.Figures{Code: "330206001", Name: "大港街道", Lenders: 3, Borrowers: 2, Offered: 40, Teams: 2, Lent: 12, LentBy: 2, Seekers: 1,
		Needs: 4, Slots: 30, Filled: 13, HoursMedian: 20.5, HoursP90: 46, Days: 240, Settled: 67200, Early: 1, Complaints: 2, Rating: 4.5, Ratings: 4}
	none := pooldb.Figures{Code: "330206001002", Name: "和美社区", HoursMedian: -1, HoursP90: -1, Rating: -1}
	seeker := pool.Seeker{ID: 7, Name: "王芳", Phone: "137****5678", WorkTypes: []pool.WorkType{"sewing", "packing"}, From: "2026-12-08",
		Wants: pool.WantsHire, CommunityCode: "330206001001", Status: pool.SeekerOpen, Version: 1, CreatedAt: now}
	placed := seeker
	placed.ID, placed.Status, placed.NeedID, placed.Wants = 8, pool.SeekerPlaced, 5, pool.WantsEither
	proposal := pool.Proposal{NeedID: 5, Borrower: need.Enterprise, LenderID: 3, Lender: worker.Enterprise, Heads: 2, Cost: 230, Tier: 1,
		Candidates: []int64{11, 12}, Reasons: reasons}
	unfilled := pooldb.Unfilled{NeedID: 5, Short: 4, Seekers: 1,
		Blocked: []pooldb.Count{{Reason: fault.Msg{Zh: "班次不符", En: "shift"}, Count: 3}, {Reason: pool.RuleMsg("contract_end"), Count: 1}}}
	brief := pooldb.LoanBrief{ID: 9, Lender: worker.Enterprise, Borrower: need.Enterprise, WorkType: "packing", Site: need.Site, Shift: "day",
		Contact: "李主管", Phone: "13912345678", Training: need.Training, DailyCost: 280, Transport: true, Lodging: true}
	agreement := pool.Agreement(chosen, placement)
	mineOf := func(p pool.Placement, b pooldb.LoanBrief) pooldb.Mine {
		return pooldb.Mine{Placement: p, Loan: b, Agreement: agreement, CanConsent: p.State == pool.PlaceChosen,
			CanWithdraw: p.State == pool.PlaceConsented || p.State == pool.PlaceOnSite}
	}
	trained := brief
	trained.Trained, trained.Sealed, trained.Transport, trained.Lodging = true, true, false, false
	working := mineOf(onSite, trained)
	working.Attendance = []string{"2026-12-10", "2026-12-11"}
	working.Complaints = []pooldb.Complaint{{ID: 1, Text: "加班费没有按约定计算", CreatedAt: now, Answer: "已约谈借入企业，下月补发", AnsweredAt: now},
		{ID: 2, Text: "夜班结束后没有班车", CreatedAt: now}}
	rows := func(ws ...pool.Worker) []pool.Worker {
		for len(ws) < 6 {
			ws = append(ws, pool.Worker{})
		}
		return ws
	}
	period := pooldb.Period{From: "2026-09-08", To: "2026-12-06"}

	return map[string][]core.Page{
		"pool": {
			&homeData{lists: vocab},
			// Staff who match, with the district's figures.
			&homeData{lists: vocab, Needs: []pool.Need{need, filled}, Loans: []pool.Loan{loan, chosen, active}, WorkersN: 40, MayPost: true,
				MayMatch: true, Figures: &figures},
			// Staff who read, no figure yet.
			&homeData{lists: vocab, Figures: &none},
			// An enterprise with its own workers.
			&homeData{lists: vocab, Needs: []pool.Need{need}, Workers: []pool.Worker{worker, lent}, WorkersN: 2, MayPost: true, Enterprise: true},
		},
		"pool_workers": {
			&workersData{lists: vocab},
			&workersData{lists: vocab, Items: []pool.Worker{worker, lent}, Pager: pg, WorkType: "packing", Status: pool.WorkerLent,
				Statuses: []string{pool.WorkerAvailable, pool.WorkerLent, pool.WorkerWithdrawn}, MayPost: true},
		},
		"pool_offer": {
			// Staff open the form for an enterprise they name by its code.
			&offerData{lists: vocab, Common: pool.Worker{Shift: "both", From: "2026-12-06"}, People: rows(), Staff: true},
			// An enterprise's one person, refused on a field.
			&offerData{lists: vocab, Common: pool.Worker{WorkTypes: []pool.WorkType{"packing"}, From: "2026-12-06", To: "2027-01-31", Shift: "day",
				Share: "community"}, People: rows(pool.Worker{Name: "张伟", Phone: "13812345678", IDNumber: "330206199001011234", ContractEnd: "2025-12-31",
				Certs: []pool.Cert{{Kind: "forklift", Expires: "2027-06-30"}}}), Given: 1,
				Base: core.Base{Errors: map[string]string{"id_number": "身份证号码不正确（18位，末位校验码）", "contract_end": "劳动合同已到期，不能出借"}}},
			// Staff offer a team for an enterprise, refused on its rows and shared fields.
			&offerData{lists: vocab, Enterprise: 3, Staff: true, Team: pool.Team{Name: "包装二组", Shuttle: true, Lodging: true},
				Common: pool.Worker{WorkTypes: []pool.WorkType{"packing", "sewing"}, Shift: "both", Share: "street"},
				People: rows(pool.Worker{Name: "张伟"}, pool.Worker{Name: "李娜"}), Given: 2,
				Base: core.Base{Errors: map[string]string{"work_types": "请至少选择一个工种", "workers.0.from": "请填写开始日期（年-月-日）",
					"workers.1.phone": "请填写11位手机号", "team.name": "班组名称过长", "share": "共享范围须为本企业所在社区、街道或区县",
					"workers": "一次最多登记200人", "credit_code": "在您的范围内没有这个信用代码的企业"}}},
			// A refusal of the whole form: the same person twice.
			&offerData{lists: vocab, People: rows(pool.Worker{Name: "张伟"}), Given: 1, Base: core.Base{Errors: map[string]string{"form": "张伟 已在池中"}}},
		},
		"pool_worker": {
			&workerData{lists: vocab},
			// Staff who may see the phone and ID number in full, before and after.
			&workerData{lists: vocab, Worker: worker, MayPost: true, MayReveal: true},
			&workerData{lists: vocab, Worker: worker, MayReveal: true, Revealed: true},
			&workerData{lists: vocab, Worker: lent, MayPost: true},
		},
		"pool_need_form": {
			&needFormData{lists: vocab, Need: pool.Need{Heads: 1, From: "2026-12-06", Shift: "day", DailyCost: 260}, Staff: true},
			&needFormData{lists: vocab, Need: pool.Need{EnterpriseID: 4, Heads: 1, From: "2026-12-06", Shift: "day", DailyCost: 260}, Staff: true},
			// An enterprise's need refused on every field.
			&needFormData{lists: vocab, Need: pool.Need{WorkType: "packing", Heads: 0, From: "2020-01-01", To: "2019-01-01", Shift: "night",
				Certs: []string{"health"}, Transport: true, Lodging: true, Share: "community"},
				Base: core.Base{Errors: map[string]string{"work_type": "请选择工种", "heads": "人数须在1到500之间", "from": "开始日期不能早于今天",
					"to": "结束日期早于开始日期", "needed_by": "请填写最迟到岗日期（如出货日）", "site": "请填写工作地点",
					"daily_cost": "劳务费用须在每人每天50到2000元之间", "certs": "证书种类不在列表中", "training": "请填写岗前培训和安全教育内容",
					"contact": "请填写现场联系人", "phone": "请填写现场联系人的11位手机号", "share": "共享范围须为本企业所在社区、街道或区县"}}},
			&needFormData{lists: vocab, Staff: true, CreditCode: "91330206MA2AGLN71X",
				Base: core.Base{Errors: map[string]string{"credit_code": "在您的范围内没有这个信用代码的企业"}}},
		},
		"pool_need": {
			&needData{lists: vocab, Hours: "—"},
			// Staff who match an open need: proposals, the shortfall, seekers.
			&needData{lists: vocab, Need: need, Loans: []pool.Loan{chosen}, Proposals: []pool.Proposal{proposal}, Unfilled: &unfilled,
				Seekers: []pool.Seeker{seeker}, MayMatch: true, MayClose: true, Hours: "—"},
			// Nobody fits.
			&needData{lists: vocab, Need: need, MayMatch: true, Unfilled: &pooldb.Unfilled{NeedID: 5, Short: 6}, Hours: "—"},
			// The borrower's filled need with its first worker on site.
			&needData{lists: vocab, Need: filled, Loans: []pool.Loan{active, ended}, MayClose: true, Hours: "1.0"},
		},
		"pool_match": {
			&matchData{lists: vocab},
			&matchData{lists: vocab, Suggestion: pooldb.Suggestion{Result: pool.Result{Proposals: []pool.Proposal{proposal}, Filled: 6, Cost: 230},
				Needs: []pool.Need{need, filled}, Workers: 40, Unfilled: []pooldb.Unfilled{unfilled}},
				Needs:    map[int64]pool.Need{need.ID: need, filled.ID: filled},
				ByNeed:   map[int64][]pool.Proposal{need.ID: {proposal}},
				Unfilled: map[int64]pooldb.Unfilled{need.ID: unfilled}},
		},
		"pool_loans": {
			&loansData{lists: vocab, States: []string{"live", pool.MatchProposed, pool.MatchEnded}},
			&loansData{lists: vocab, Items: []pool.Loan{loan, chosen, active, ended}, Pager: pg, State: "live",
				States: []string{"live", pool.MatchProposed, pool.MatchChosen, pool.MatchActive, pool.MatchEnded, pool.MatchDeclined, pool.MatchCancelled}},
		},
		"pool_loan": {
			&loanData{lists: vocab},
			// The lender chooses among its candidates, its first try refused.
			&loanData{lists: vocab, Loan: loan, Steps: steps(loan), Lender: true, Today: "2026-12-06", Month: "2026-12",
				Candidates: []pooldb.Candidate{{Worker: worker, Cost: 112}, {Worker: lent, Cost: 130, TeamOf: "包装二组"}},
				Base:       core.Base{Errors: map[string]string{"workers": "请选定1到2名员工", "reason": "请说明原因（2至200字）"}}},
			// The lender with no candidate left.
			&loanData{lists: vocab, Loan: loan, Steps: steps(loan), Lender: true},
			// Staff who match, a code just issued; the lender sealed with a scan.
			&loanData{lists: vocab, Loan: chosen, Steps: steps(chosen), MayMatch: true, Code: "K7M2Q-9XH4T", CodeFor: "张伟",
				Agreement: agreement, Today: "2026-12-06", Month: "2026-12"},
			// Both parties' staff, a step refused on the form and on fields.
			&loanData{lists: vocab, Loan: chosen, Steps: steps(chosen), Lender: true, Borrower: true, Agreement: agreement, Today: "2026-12-06",
				Month: "2026-12", Base: core.Base{Errors: map[string]string{"form": "尚未记录岗前培训。 借入企业负责岗前培训、安全生产教育和劳动保护。",
					"file": "请选择盖章协议的扫描件（PDF 或图片）", "cover_ref": "请填写工伤保险参保凭证号（4至100位）", "note": "请记录培训内容、时长和讲师（4至500字）",
					"month": "请选择不晚于本月的月份（年-月）"}}},
			// The borrower on a loan at work: attendance, sheets to confirm.
			&loanData{lists: vocab, Loan: active, Steps: steps(active), Borrower: true, OnSite: true, Today: "2026-12-06", Month: "2026-12",
				Sheets: []pool.Sheet{sheet, settled}, Agreement: agreement,
				Base: core.Base{Errors: map[string]string{"days": "出勤日须在 2026-12-10 至 2026-12-06 之间且不晚于今天", "placements": "请勾选出勤的员工"}}},
			// The lender confirms what it paid.
			&loanData{lists: vocab, Loan: active, Steps: steps(active), Lender: true, OnSite: true, Sheets: []pool.Sheet{sheet}},
			// Ended: the parties rate, one has.
			&loanData{lists: vocab, Loan: ended, Steps: steps(ended), Lender: true, Borrower: true, Sheets: []pool.Sheet{settled},
				Ratings: map[string]int{"lender": 4}},
			// Ended, seen by one who reads.
			&loanData{lists: vocab, Loan: ended, Steps: steps(ended), Ratings: map[string]int{"lender": 4, "borrower": 5}},
		},
		"pool_seekers": {
			&seekersData{lists: vocab},
			&seekersData{lists: vocab, Items: []pool.Seeker{seeker, placed}, Pager: pg, WorkType: "sewing", Status: pool.SeekerOpen, MayAdd: true,
				Statuses: []string{pool.SeekerOpen, pool.SeekerPlaced, pool.SeekerWithdrawn}, Wants: []string{pool.WantsEither, pool.WantsHire, pool.WantsRecruit},
				Edit: pool.Seeker{Name: "王", Phone: "137", From: "x", CommunityCode: "330206001001"},
				Base: core.Base{Errors: map[string]string{"name": "请填写姓名", "phone": "请填写11位手机号", "work_types": "请至少选择一个工种",
					"from": "请填写可到岗日期", "community_code": "请选择社区"}}},
		},
		"pool_figures": {
			&figuresData{Period: period},
			&figuresData{Total: figures, List: []pooldb.Figures{figures, none}, Period: period, Region: "330206"},
		},
		"pool_code": {
			&codeData{},
			&codeData{Code: "k7m2q-9xh4t", Base: core.Base{Errors: map[string]string{"code": "确认码不正确、已使用或已过期，请向社区索取新的确认码"}}},
		},
		"pool_me": {
			&mineData{},
			// Asked to consent.
			&mineData{Mine: mineOf(placement, brief)},
			// At work: an extension to answer, attendance, complaints, a refused complaint.
			&mineData{Mine: working, Note: "短", Base: core.Base{Errors: map[string]string{"text": "请写下您的问题（4至500字）", "form": "已经回复过了"}}},
			// Returned: a rating to give; and rated.
			&mineData{Mine: mineOf(returned, trained)},
			&mineData{Mine: func() pooldb.Mine { m := mineOf(early, trained); m.Placement.Rating = 4; return m }()},
		},
	}
}

// TestTemplates renders every page of the module with its examples in both
// languages, for staff and for an enterprise, and holds that every word
// used is in the catalog.
func TestTemplates(t *testing.T) {
	text, err := core.Merge(core.Text, Text)
	if err != nil {
		t.Fatal(err)
	}
	coretest.CheckPages(t, coretest.PagesOptions{Templates: Templates, Text: text, Examples: examples(), MinKeys: 150,
		Roles: []access.Role{access.RoleCommunityStaff, access.RoleEnterprise, access.RoleAdmin}})
}

// TestPageBranches holds what some examples are for: the pages show what
// their state says, and only then.
func TestPageBranches(t *testing.T) {
	text, err := core.Merge(core.Text, Text)
	if err != nil {
		t.Fatal(err)
	}
	c := coretest.New(t, text, Templates)
	ex := examples()
	for _, tt := range []struct {
		page     string
		i        int
		lang     string
		has, not []string
	}{
		{"pool", 1, "zh", []string{`id="pool-summary"`, `id="pool-run-match"`, "20.5", `href="/pool/loans/9"`}, []string{`id="pool-my-workers"`}},
		{"pool", 3, "en", []string{`id="pool-my-workers"`, "On a loan", `id="pool-post-need"`}, []string{`id="pool-summary"`, `id="pool-run-match"`}},
		{"pool_offer", 1, "zh", []string{"劳动合同已到期，不能出借", `value="330206199001011234"`, `<option value="forklift" selected>`}, []string{`id="pool-offer-error"`, `name="credit_code"`}},
		{"pool_offer", 2, "en", []string{"请填写11位手机号", "请至少选择一个工种", `name="enterprise" value="3"`, "请填写开始日期"}, []string{`name="credit_code"`}},
		{"pool_offer", 3, "zh", []string{`id="pool-offer-error"`, "张伟 已在池中"}, nil},
		{"pool_worker", 1, "en", []string{`id="pool-reveal"`, "Forklift licence (N1)", "valid to 2027-06-30"}, nil},
		{"pool_worker", 2, "en", nil, []string{`id="pool-reveal"`, `/withdraw"`}},
		{"pool_need", 1, "en", []string{`id="pool-need-proposals"`, `id="pool-need-short"`, "/pool/seekers/7/place", "same community", "Health certificate"}, nil},
		{"pool_need", 2, "zh", []string{"池中没有符合条件的出借员工", "还差 6 人"}, nil},
		{"pool_need", 3, "en", []string{"1.0 hours after posting", `/pool/needs/6/close`}, []string{`id="pool-need-proposals"`}},
		{"pool_match", 0, "zh", []string{`id="pool-match-empty"`}, nil},
		{"pool_match", 1, "en", []string{`id="pool-match-5"`, `name="lender" value="3"`, "4 short that lending cannot fill", "1 job seekers to hire", `id="pool-match-6"`}, nil},
		{"pool_loan", 1, "en", []string{`id="pool-choose-form"`, `name="workers" value="12"`, "请选定1到2名员工", "Choose your workers (at most 2)"}, []string{`id="pool-placements"`}},
		{"pool_loan", 2, "zh", []string{"本企业没有符合这项需求的在池员工"}, []string{`id="pool-choose-form"`}},
		{"pool_loan", 3, "en", []string{`id="pool-code-value">K7M2Q-9XH4T<`, "pool-issue-code", `href="/pool/loans/9/seals/lender"`},
			[]string{`id="pool-choose"`, `class="form pool-seal-form"`, `id="pool-train-form"`}},
		{"pool_loan", 4, "zh", []string{`id="pool-loan-error"`, "请选择盖章协议的扫描件", `id="pool-train-form"`, "pool-cover", "pool-start"}, []string{`id="pool-code"`, `name="compensation"`}}, // consented: the compensation is settled
		{"pool_loan", 5, "en", []string{`id="pool-attend-form"`, `id="pool-sheet-form"`, "pool-sheet-borrower", "pool-return", "extension awaiting the worker", "请勾选出勤的员工"},
			[]string{"pool-sheet-lender", `id="pool-ratings"`}},
		{"pool_loan", 6, "zh", []string{"pool-sheet-lender", `name="paid_23" value="3360"`}, []string{`id="pool-attend-form"`, "pool-sheet-borrower"}},
		{"pool_loan", 7, "en", []string{`id="pool-ratings"`, "4 stars", `name="party" value="borrower"`}, []string{`name="party" value="lender"><select`}},
		{"pool_loan", 8, "en", []string{"5 stars"}, []string{`/rate"`}},
		{"pool_me", 1, "en", []string{`id="pool-me-yes"`, `id="pool-me-agreement"`, "Packer", "Day shift", "共享用工协议"}, []string{`id="pool-me-withdraw"`, `id="pool-me-rate"`}},
		{"pool_me", 2, "zh", []string{`id="pool-me-extension"`, `id="pool-me-withdraw"`, "出勤 2 天", "已约谈借入企业", "请写下您的问题", "已经回复过了"}, []string{`id="pool-me-yes"`}},
		{"pool_me", 3, "en", []string{`id="pool-me-rate"`, "Returned"}, []string{`id="pool-me-withdraw"`}},
		{"pool_me", 4, "en", nil, []string{`id="pool-me-rate"`}},
		{"pool_figures", 1, "zh", []string{`id="pool-figures-total"`, "6.72", "4.5", "—"}, []string{"所选区域和期间没有周转池记录"}},
		{"pool_figures", 0, "en", []string{"No pool record in this region and period."}, nil},
		{"pool_code", 1, "zh", []string{`value="k7m2q-9xh4t"`, "确认码不正确"}, nil},
		{"pool_seekers", 1, "en", []string{`id="pool-seeker-form"`, "/pool/seekers/7/withdraw", "请选择社区", "Short-term hiring"}, []string{"/pool/seekers/8/withdraw"}},
	} {
		body := coretest.Render(t, c, tt.page, ex[tt.page][tt.i], tt.lang, access.RoleCommunityStaff)
		for _, s := range tt.has {
			if s != "" && !strings.Contains(body, s) {
				t.Errorf("%s example %d (%s) lacks %q", tt.page, tt.i, tt.lang, s)
			}
		}
		for _, s := range tt.not {
			if strings.Contains(body, s) {
				t.Errorf("%s example %d (%s) shows %q", tt.page, tt.i, tt.lang, s)
			}
		}
	}
}

// TestWords holds that every value of the pool's vocabularies the pages
// name has its words in both languages: they look them up by kind and
// value (Word), which the key scan cannot see.
func TestWords(t *testing.T) {
	text, err := core.Merge(core.Text, Text)
	if err != nil {
		t.Fatal(err)
	}
	codes := func(list []pool.Label) []string {
		var out []string
		for _, l := range list {
			out = append(out, l.Code)
		}
		return out
	}
	var steps []string
	for _, s := range pool.Steps {
		steps = append(steps, s.Code)
	}
	words := map[string][]string{
		"pwt": codes(pool.WorkTypes), "pcert": codes(pool.CertKinds), "pshift": codes(pool.Shifts), "pstep": steps,
		"pstate":   {"live", pool.MatchProposed, pool.MatchChosen, pool.MatchActive, pool.MatchEnded, pool.MatchDeclined, pool.MatchCancelled},
		"pplace":   {pool.PlaceChosen, pool.PlaceConsented, pool.PlaceDeclined, pool.PlaceOnSite, pool.PlaceReturned, pool.PlaceEarly, pool.PlaceWithdrawn},
		"pwstatus": {pool.WorkerAvailable, pool.WorkerLent, pool.WorkerWithdrawn}, "pneed": {pool.NeedOpen, pool.NeedFilled, pool.NeedClosed},
		"pseeker": {pool.SeekerOpen, pool.SeekerPlaced, pool.SeekerWithdrawn}, "pwants": {pool.WantsHire, pool.WantsRecruit, pool.WantsEither},
		"pshare": {"district", "street", "community"}, "pparty": {"lender", "borrower"}, "pseal": {"scan", "eseal"},
		"colour": {"green", "yellow", "red"},
	}
	for kind, values := range words {
		for _, v := range values {
			if w, ok := text[kind+"."+v]; !ok || w[0] == "" || w[1] == "" {
				t.Errorf("the catalog has no words for %s %q", kind, v)
			}
		}
	}
}
