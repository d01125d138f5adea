package web

import (
	"net/http"
	"reflect"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/appeal/appealweb"
	"qifu/internal/calendar"
	"qifu/internal/enterprise"
	"qifu/internal/notify"
	"qifu/internal/web/core"
)

// openAPIDoc builds the OpenAPI 3 document from the route table, so the
// document and the routes cannot drift apart: each API route's request and
// answer schemas come from the Go types it declares (Takes, Gives).
func (s *Server) openAPIDoc() map[string]any {
	enums := map[reflect.Type][]string{
		reflect.TypeFor[access.Role]():         core.Strings(access.Roles),
		reflect.TypeFor[calendar.Kind]():       {string(calendar.Holiday), string(calendar.Workday)},
		reflect.TypeFor[account.Profile]():     core.Strings(account.Profiles),
		reflect.TypeFor[notify.Format]():       {string(notify.DingTalk), string(notify.WeCom)},
		reflect.TypeFor[enterprise.KeyLevel](): {string(enterprise.KeyNone), string(enterprise.KeyDistrict), string(enterprise.KeyCity)},
		reflect.TypeFor[enterprise.SizeClass](): {"", string(enterprise.SizeLarge), string(enterprise.SizeMedium),
			string(enterprise.SizeSmall), string(enterprise.SizeMicro)},
	}
	for t, values := range appealweb.Enums() {
		enums[t] = values
	}
	spec := core.Spec{Title: "qifu API", Enums: enums,
		Description: "企服 — enterprise service platform API. Sign in with a bearer API token (POST /api/v1/tokens from a " +
			"session) or the session cookie of POST /api/v1/login. Every error is {\"error\":{\"code\",\"message\",\"fields\"}}; " +
			"a record outside the caller's scope answers 404. Changes take the record's version and answer 409 when it is stale."}
	return spec.Document(s.routes())
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	core.WriteJSON(w, http.StatusOK, s.openAPIDoc())
	return nil
}

// The API document's examples and filters of the shared routes.
var (
	exampleEnterprise = enterpriseInput{CreditCode: "91330206MA2AAAAA1A", Name: "宁波示例精密机械有限公司", LegalRep: "李明",
		Contact: "王经理", Phone: "13800001234", Address: "宁波市北仑区新碶街道明州路 1 号", GridCode: "330206001001001",
		Industry: "C34", Employees: 45, Revenue: 12_000_000, Tags: []string{"外贸"}}
	exampleUser = userInput{Username: "grid_zhang", Name: "张网格", Phone: "13800005678", Role: access.RoleGridWorker,
		RegionCode: "330206001001001", Password: "Grid-Worker-2026!"}
	enterpriseFilters = []core.Param{
		{Name: "q", Description: "words of the name or the credit code"}, {Name: "region", Description: "a region code"},
		{Name: "industry", Description: "a GB/T 4754 code"}, {Name: "class", Enum: []string{"large", "medium", "small", "micro"}},
		{Name: "key", Description: "key enterprises: city, district or any"}, {Name: "foreign", Enum: []string{"yes", "no"}},
		{Name: "tag"}, {Name: "unconfirmed", Description: "1: only those whose credit code is unconfirmed"},
	}
	userFilters = []core.Param{{Name: "role", Enum: core.Strings(access.Roles)}, {Name: "q"},
		{Name: "disabled", Enum: []string{"yes", "no"}}}
	auditFilters = []core.Param{{Name: "actor"}, {Name: "action"}, {Name: "target"},
		{Name: "from", Description: "YYYY-MM-DD"}, {Name: "to", Description: "YYYY-MM-DD, included"}}
)
