package policyweb

import (
	"qifu/internal/access"
	"qifu/internal/policy"
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
	pages := []core.Route{
		route("GET", "/policy", gated, access.PolicyRead, "policies in force; an enterprise's own check-up first; a department's drafts", s.homePage),
		route("GET", "/policy/policies/new", gated, access.PolicyManage, "the form of a new policy document", s.newPolicyPage),
		route("POST", "/policy/policies", signedIn, access.PolicyManage, "save a new policy document as a draft", s.savePolicyPage),
		route("GET", "/policy/policies/{id}", gated, access.PolicyRead, "a policy document with its benefits", s.policyPage),
		route("POST", "/policy/policies/{id}", signedIn, access.PolicyManage, "correct a policy document", s.savePolicyPage),
		route("POST", "/policy/policies/{id}/publish", signedIn, access.PolicyManage, "publish a policy document (announced to the group robots)", s.policyStatePage(policy.Published)),
		route("POST", "/policy/policies/{id}/withdraw", signedIn, access.PolicyManage, "withdraw a policy document and close its benefits", s.policyStatePage(policy.Retracted)),
		route("GET", "/policy/policies/{id}/benefits/new", gated, access.PolicyManage, "the builder of a benefit: conditions from a form or in CEL", s.newBenefitPage),
		route("POST", "/policy/benefits", signedIn, access.PolicyManage, "save a new benefit as a draft", s.saveBenefitPage),
		route("GET", "/policy/benefits/{id}", gated, access.PolicyRead, "a benefit: its conditions and dry run for the department, the enterprise's own verdict explained", s.benefitPage),
		route("POST", "/policy/benefits/{id}", signedIn, access.PolicyManage, "change a draft benefit", s.saveBenefitPage),
		route("POST", "/policy/benefits/{id}/dryrun", signedIn, access.PolicyManage, "run a draft benefit over every enterprise", s.benefitActPage("dryrun")),
		route("POST", "/policy/dryruns/{id}/sign", signedIn, access.PolicyManage, "sign a dry run off (not its editor)", s.signPage),
		route("POST", "/policy/benefits/{id}/publish", signedIn, access.PolicyManage, "publish a benefit after a signed dry run: each qualifying enterprise is told privately", s.benefitActPage("publish")),
		route("POST", "/policy/benefits/{id}/close", signedIn, access.PolicyManage, "close a benefit", s.benefitActPage("close")),
		route("GET", "/policy/benefits/{id}/enterprises", gated, access.PolicyRead, "the enterprises of the caller's reach told of a benefit, with their claims", s.toldPage),
		route("POST", "/policy/benefits/{id}/apply", signedIn, access.PolicyClaim, "apply for a benefit with the listed materials", s.applyPage),
		route("POST", "/policy/benefits/{id}/notice", signedIn, access.PolicyReview, "put the confirmed 免申即享 claims on a public notice", s.benefitActPage("notice")),
		route("POST", "/policy/benefits/{id}/pay", signedIn, access.PolicyReview, "record the payment of the approved claims", s.benefitActPage("pay")),
		route("GET", "/policy/checkup", gated, access.PolicyRead, "an enterprise's policy check-up: every benefit in force met, maybe or not, explained", s.checkupPage),
		route("POST", "/policy/checkup/fact", signedIn, access.PolicyClaim, "supply a fact a check-up asks for; the enterprise is evaluated again", s.supplyPage),
		route("POST", "/policy/checkup/ask", signedIn, access.PolicyClaim, "ask the enterprise's cadre and grid worker about a benefit", s.askPage),
		route("GET", "/policy/claims", gated, access.PolicyRead, "claims: a department's to review, an enterprise's own", s.claimsPage),
		route("GET", "/policy/claims/{id}", gated, access.PolicyRead, "a claim with the steps the caller may take", s.claimPage),
		route("POST", "/policy/claims/{id}/act", signedIn, access.PolicyRead, "take a step of a claim (the store checks the party)", s.actPage),
		route("GET", "/policy/notices/{id}", gated, access.PolicyRead, "a public notice of a 免申即享 list", s.noticePage),
		route("POST", "/policy/notices/{id}/approve", signedIn, access.PolicyReview, "approve a notice's list after its period", s.approveNoticePage),
		route("GET", "/policy/figures", gated, access.PolicyRead, "the funnel: eligible, told, read, applied, approved, paid", s.figuresPage),
		route("GET", "/policy/figures.xlsx", gated, access.PolicyRead, "the funnel and the claims in reach as a workbook", s.exportFunnel),
		route("GET", "/policy/resources", gated, access.PolicyRead, "the innovation-resource lists", s.resourcesPage),
		route("GET", "/policy/resources/mine", gated, access.PolicyRead, "the resources recommended to an enterprise, with why", s.mineResourcesPage),
		route("GET", "/policy/resources/new", gated, access.PolicyManage, "the form of a resource", s.resourcePage),
		route("POST", "/policy/resources", signedIn, access.PolicyManage, "add a resource to the department's list", s.saveResourcePage),
		route("POST", "/policy/resources/digest", signedIn, access.PolicyManage, "send each enterprise its digest of resources", s.digestPage),
		route("GET", "/policy/resources/{id}", gated, access.PolicyRead, "a resource, with the form to request it", s.resourcePage),
		route("POST", "/policy/resources/{id}", signedIn, access.PolicyManage, "change a resource", s.saveResourcePage),
		route("POST", "/policy/resources/{id}/request", signedIn, access.PolicyClaim, "an enterprise requests a resource", s.requestResourcePage),
		route("GET", "/policy/requests/{id}", gated, access.PolicyRead, "a request for a resource and its answer", s.requestPage),
		route("POST", "/policy/requests/{id}/answer", signedIn, access.PolicyManage, "the provider's answer, by the keeping department", s.answerPage),
		route("GET", "/policy/blacklist", gated, access.PolicyManage, "import a department's credit blacklist", s.blacklistPage),
		route("POST", "/policy/blacklist", signedIn, access.PolicyManage, "record a blacklist: all rows or none", s.blacklistPost),
	}
	return append(pages, s.apiRoutes()...)
}
