package policyweb

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/policy"
	"qifu/internal/policy/policydb"
	"qifu/internal/sheet"
	"qifu/internal/web/core"
)

// The API of check-ups, claims, hand-over, notices and payment.

// The check-up.

func (s *Handlers) apiCheckUp(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (policydb.CheckUp, error) {
	id, err := enterpriseOr(a, queryID(r, "enterprise"), "enterprise")
	if err != nil {
		return policydb.CheckUp{}, err
	}
	cu, err := s.policy.CheckUp(r.Context(), a, id)
	return checkUpOut(cu), err
}

type factInput struct {
	EnterpriseID int64  `json:"enterprise_id,omitempty"` // an enterprise's account: its own
	Kind         string `json:"kind"`                    // a field's fact: employees, insured, revenue …
	Period       string `json:"period,omitempty"`
	Value        string `json:"value"`
}

func (s *Handlers) apiSupplyFact(r *http.Request, a access.Actor, _ int64, in factInput) (policydb.CheckUp, error) {
	id, err := enterpriseOr(a, in.EnterpriseID, "enterprise_id")
	if err != nil {
		return policydb.CheckUp{}, err
	}
	cu, err := s.policy.SupplyFact(r.Context(), a, id, strings.TrimSpace(in.Kind), strings.TrimSpace(in.Period), in.Value)
	return checkUpOut(cu), err
}

type askInput struct {
	EnterpriseID int64 `json:"enterprise_id,omitempty"`
	BenefitID    int64 `json:"benefit_id"`
}

type askedJSON struct {
	Asked int `json:"asked"` // the cadres and grid workers asked
}

func (s *Handlers) apiAsk(r *http.Request, a access.Actor, _ int64, in askInput) (askedJSON, error) {
	id, err := enterpriseOr(a, in.EnterpriseID, "enterprise_id")
	if err != nil {
		return askedJSON{}, err
	}
	n, err := s.policy.Ask(r.Context(), a, id, in.BenefitID)
	return askedJSON{Asked: n}, err
}

// Claims.

func (s *Handlers) apiClaims(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (core.List[policy.Claim], error) {
	page := core.PageOf(r)
	list, total, err := s.policy.Claims(r.Context(), a, policydb.ClaimQuery{Benefit: queryID(r, "benefit"), Enterprise: queryID(r, "enterprise"),
		State: r.URL.Query().Get("state"), NoticeID: queryID(r, "notice"), Page: page})
	for i := range list {
		list[i] = claimOut(list[i])
	}
	return listOf(list, total, page), err
}

func (s *Handlers) apiClaim(r *http.Request, a access.Actor, id int64, _ core.NoBody) (policy.Claim, error) {
	c, err := s.policy.Claim(r.Context(), a, id)
	return claimOut(c), err
}

type applyInput struct {
	EnterpriseID int64             `json:"enterprise_id,omitempty"` // an enterprise's account: its own
	Materials    []policy.Material `json:"materials"`
}

func (s *Handlers) apiApply(r *http.Request, a access.Actor, id int64, in applyInput) (policy.Claim, error) {
	eid, err := enterpriseOr(a, in.EnterpriseID, "enterprise_id")
	if err != nil {
		return policy.Claim{}, err
	}
	c, err := s.policy.Apply(r.Context(), a, id, eid, in.Materials)
	return claimOut(c), err
}

type confirmInput struct {
	Bank    string `json:"bank"`
	Account string `json:"account"`
	Version int    `json:"version"`
}

func (s *Handlers) apiConfirm(r *http.Request, a access.Actor, id int64, in confirmInput) (policy.Claim, error) {
	if err := needVersion(in.Version); err != nil {
		return policy.Claim{}, err
	}
	c, err := s.policy.Confirm(r.Context(), a, id, in.Version, in.Bank, in.Account)
	return claimOut(c), err
}

// actInput is a step of a claim; which fields a step reads is the act
// route's summary.
type actInput struct {
	Action    string            `json:"action"`
	Version   int               `json:"version"`
	Note      string            `json:"note,omitempty"`
	Granted   int64             `json:"granted,omitempty"`
	Materials []policy.Material `json:"materials,omitempty"`
	Ref       string            `json:"ref,omitempty"`
	ClawBack  int64             `json:"claw_back,omitempty"`
}

func (s *Handlers) apiAct(r *http.Request, a access.Actor, id int64, in actInput) (policy.Claim, error) {
	if strings.TrimSpace(in.Action) == "" {
		return policy.Claim{}, fault.Fields{"action": {Zh: "请指定操作", En: "the action is required"}}.Err()
	}
	if err := needVersion(in.Version); err != nil {
		return policy.Claim{}, err
	}
	c, err := s.policy.Act(r.Context(), a, id, in.Version, policydb.Step{Action: strings.TrimSpace(in.Action), Note: in.Note, Granted: in.Granted,
		Materials: in.Materials, Ref: in.Ref, ClawBack: in.ClawBack})
	return claimOut(c), err
}

// stateParam is a state of the query, def when absent; one of allowed.
func stateParam(r *http.Request, def string, allowed ...string) (string, error) {
	st := r.URL.Query().Get("state")
	if st == "" {
		return def, nil
	}
	for _, v := range allowed {
		if v == st {
			return st, nil
		}
	}
	return "", fault.Fields{"state": {Zh: "可选：" + strings.Join(allowed, "、"), En: "one of " + strings.Join(allowed, ", ")}}.Err()
}

func (s *Handlers) apiHandover(r *http.Request, a access.Actor, id int64, _ core.NoBody) (core.Items[policydb.PayRow], error) {
	st, err := stateParam(r, policy.Submitted, policy.Submitted, policy.Handed, policy.Approved, policy.Refused)
	if err != nil {
		return core.Items[policydb.PayRow]{}, err
	}
	rows, err := s.policy.PayList(r.Context(), a, id, st)
	return core.Items[policydb.PayRow]{Items: orEmpty(rows)}, err
}

// Notices and payment.

func (s *Handlers) apiCreateNotice(r *http.Request, a access.Actor, id int64, _ core.NoBody) (policydb.Notice, error) {
	n, err := s.policy.CreateNotice(r.Context(), a, id)
	if err != nil {
		return n, err
	}
	if full, err := s.policy.Notice(r.Context(), n.ID); err == nil {
		n = full
	}
	return noticeOut(n), nil
}

func (s *Handlers) apiNotices(r *http.Request, a access.Actor, id int64, _ core.NoBody) (core.Items[policydb.Notice], error) {
	b, err := s.policy.Benefit(r.Context(), a, id) // 404 for a benefit the caller may not read
	if err != nil {
		return core.Items[policydb.Notice]{}, err
	}
	list, err := s.policy.Notices(r.Context(), id)
	for i := range list {
		list[i].Benefit = b.Title
		list[i] = noticeOut(list[i])
	}
	return core.Items[policydb.Notice]{Items: orEmpty(list)}, err
}

func (s *Handlers) apiNotice(r *http.Request, _ access.Actor, id int64, _ core.NoBody) (policydb.Notice, error) {
	n, err := s.policy.Notice(r.Context(), id)
	return noticeOut(n), err
}

func (s *Handlers) apiApproveNotice(r *http.Request, a access.Actor, id int64, _ core.NoBody) (policydb.Notice, error) {
	n, err := s.policy.ApproveNotice(r.Context(), a, id)
	return noticeOut(n), err
}

// payHeader is the payment list's header, in the words of the payment
// system's import (the same in either language of the interface).
var payHeader = []string{"企业名称", "统一社会信用代码", "开户银行", "账号", "金额（元）", "状态", "平台编号"}

// apiPayList sends a benefit's claims of a state as a workbook for the
// payment system: the full accounts, so the store audits it.
func (s *Handlers) apiPayList(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	st, err := stateParam(r, policy.Approved, policy.Approved, policy.Paid)
	if err != nil {
		return err
	}
	rows, err := s.policy.PayList(r.Context(), a, id, st)
	if err != nil {
		return err
	}
	data := make([][]any, 0, len(rows))
	for _, p := range rows {
		data = append(data, []any{p.Enterprise, p.CreditCode, p.Bank, p.Account, p.Amount, policy.StateName(p.State).Zh, p.Ref})
	}
	var buf bytes.Buffer
	if err := sheet.WriteTables(&buf, []sheet.Table{{Name: "拨付名单", Header: payHeader, Rows: data}}); err != nil {
		return err
	}
	core.SendXLSX(w, fmt.Sprintf("policy-pay-%d-%s-%s.xlsx", id, st, s.today()), buf.Bytes())
	return nil
}

type paidJSON struct {
	Paid int `json:"paid"` // claims recorded as paid
}

func (s *Handlers) apiPay(r *http.Request, a access.Actor, id int64, _ core.NoBody) (paidJSON, error) {
	n, err := s.policy.PayAll(r.Context(), a, id)
	return paidJSON{Paid: n}, err
}
