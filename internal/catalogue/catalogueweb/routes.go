package catalogueweb

import (
	"net/http"

	"qifu/internal/access"
	"qifu/internal/catalogue"
	"qifu/internal/web/core"
)

// Routes lists the module's routes, pages first, then the API. The site
// registers them with every other module's (web.Server.routes).
func (s *Handlers) Routes() []core.Route {
	const (
		signedIn = core.SignedIn
		gated    = core.Gated
	)
	route := core.NewRoute
	period := []core.Param{{Name: "from", Description: "first month, YYYY-MM (default: January of this year)"},
		{Name: "to", Description: "last month, YYYY-MM (default: this month)"}, {Name: "region", Description: "a region code in the caller's reach"}}
	return []core.Route{
		// Pages.
		route("GET", "/catalogue", signedIn, access.CatalogueRead, "the catalogue of service standards, by group, searched by words", s.cataloguePage),
		route("GET", "/catalogue/new", gated, access.CatalogueManage, "the form for a new standard", s.newStandardPage),
		route("POST", "/catalogue/new", signedIn, access.CatalogueManage, "save a new standard", s.saveStandardPage),
		route("GET", "/catalogue/export.xlsx", signedIn, access.CatalogueRead, "the catalogue as a workbook (the import's template)", s.exportCatalogue),
		route("GET", "/catalogue/import", gated, access.CatalogueManage, "import a catalogue from a workbook", s.importPage),
		route("POST", "/catalogue/import", gated, access.CatalogueManage, "import a catalogue: every row saved, or none and the problems", s.importPost),
		route("GET", "/catalogue/use", gated, access.AppealAssess, "requests per standard, their on-time rate, the standards nobody asked for", s.usePage),
		route("GET", "/catalogue/{standard}", signedIn, access.CatalogueRead, "a standard: what the enterprise gets, how to ask for it", s.standardPage),
		route("POST", "/catalogue/{standard}", signedIn, access.CatalogueManage, "save a standard's next version", s.saveStandardPage),
		route("POST", "/catalogue/{standard}/withdraw", signedIn, access.CatalogueManage, "withdraw a standard from a day", s.withdrawPage),
		route("GET", "/providers", signedIn, access.CatalogueRead, "the directory of service providers", s.providersPage),
		route("POST", "/providers", signedIn, access.CatalogueManage, "add a provider, or change one (its version in the form)", s.saveProviderPage),

		// API.
		route("GET", "/api/v1/service-standards", signedIn, access.CatalogueRead, "the standards in force (withdrawn=1: those withdrawn too), searched by words (q), group and mode", s.apiStandards).
			Gives(200, core.Items[catalogue.Standard]{}).Queries(core.Param{Name: "q"}, core.Param{Name: "group"}, core.Param{Name: "mode"}, core.Param{Name: "withdrawn"}),
		route("POST", "/api/v1/service-standards", signedIn, access.CatalogueManage, "add a standard (its department, office, providers and category must exist)", s.apiCreateStandard).
			Takes(exampleStandard).Gives(201, catalogue.Standard{}),
		route("GET", "/api/v1/service-standards/export", signedIn, access.CatalogueRead, "the catalogue as .xlsx", s.exportCatalogue).Sends(core.XLSX),
		route("POST", "/api/v1/service-standards/import", gated, access.CatalogueManage, "import a catalogue from .xlsx (multipart field file, or the bare file): 200 when saved, 422 with every row's problems and nothing saved", s.apiImport).
			Uploads("file").Gives(200, importResult{}).Fails(http.StatusUnprocessableEntity, importResult{}),
		route("GET", "/api/v1/service-standards/use", signedIn, access.AppealAssess, "requests per standard in a period in the caller's reach, their on-time rate, and the standards nobody asked for", s.apiUse).
			Gives(200, useJSON{}).Queries(period...),
		route("GET", "/api/v1/service-standards/{standard}", signedIn, access.CatalogueRead, "a standard's current version", s.apiStandard).Gives(200, catalogue.Standard{}),
		route("PUT", "/api/v1/service-standards/{standard}", signedIn, access.CatalogueManage, "save a standard's next version (version: the current one; stale → 409)", s.apiSaveStandard).
			Takes(exampleStandard).Gives(200, catalogue.Standard{}),
		route("GET", "/api/v1/service-standards/{standard}/versions", signedIn, access.CatalogueRead, "every version of a standard, newest first", s.apiVersions).
			Gives(200, core.Items[versionJSON]{}),
		route("POST", "/api/v1/service-standards/{standard}/withdraw", signedIn, access.CatalogueManage, "withdraw a standard from a day (needs version)", s.apiWithdraw).
			Takes(withdrawInput{Until: "2027-01-01", Version: 1}).Gives(200, catalogue.Standard{}),
		route("GET", "/api/v1/service-providers", signedIn, access.CatalogueRead, "the directory of service providers", s.apiProviders).
			Gives(200, core.Items[catalogue.Provider]{}),
		route("POST", "/api/v1/service-providers", signedIn, access.CatalogueManage, "add a provider", s.apiSaveProvider).
			Takes(catalogue.Provider{Code: "assoc-mould", Kind: catalogue.Social, Name: "区模具行业协会", Phone: "0574-86880200"}).Gives(201, catalogue.Provider{}),
		route("PUT", "/api/v1/service-providers/{provider}", signedIn, access.CatalogueManage, "change a provider (needs version)", s.apiSaveProvider).
			Takes(catalogue.Provider{Kind: catalogue.Social, Name: "区模具行业协会", Phone: "0574-86880200", Version: 1}).Gives(200, catalogue.Provider{}),
	}
}
