package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/appeal/appealweb"
	"qifu/internal/web/core"
)

// serviceAccount creates a connected system's account scoped to the
// showcase community and returns its id.
func (s *site) serviceAccount(t testing.TB, username string) int64 {
	t.Helper()
	res := s.as(t, "admin", "POST", "/api/v1/users", jsonBody(userInput{Username: username, Name: "12345 热线",
		Role: access.RoleService, RegionCode: showCommunity}))
	if res.code != http.StatusCreated {
		t.Fatalf("create a connected system's account: %d %s", res.code, res.body)
	}
	var u userJSON
	res.json(t, &u)
	return u.ID
}

// enterpriseIn returns the credit code of a dataset enterprise inside the
// showcase community (in true) or outside it.
func enterpriseIn(in bool) string {
	for _, e := range dataset.Enterprises {
		if (parentOf[e.GridCode] == showCommunity) == in {
			return e.CreditCode
		}
	}
	panic("no such enterprise in the dataset")
}

// TestServiceAccount walks a connected system (a 12345 hotline): it has no
// password sign-in; an administrator makes its token; with it the system
// raises appeals for the enterprises of its region, by its channels, with
// its own references, finds them again by reference and reads them — and
// nothing it did not raise.
func TestServiceAccount(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		name := fmt.Sprintf("hotline%d", codeSeq.Add(1))
		id := s.serviceAccount(t, name)

		res := s.call(t, "POST", "/api/v1/login", nil, jsonBody(loginInput{Username: name, Password: "Qifu@2026"}))
		wantError(t, "a connected system signs in with a password", res, http.StatusUnauthorized, "service_account")

		res = s.as(t, "admin", "POST", fmt.Sprintf("/api/v1/users/%d/tokens", id), jsonBody(tokenInput{Name: "对接"}))
		var tok tokenJSON
		if res.code != http.StatusCreated {
			t.Fatalf("make the system's token: %d %s", res.code, res.body)
		}
		res.json(t, &tok)
		if tok.Secret == "" {
			t.Fatal("the token's secret is not in the answer")
		}
		// On the account's page too: the secret shown once, the token listed.
		page := s.as(t, "admin", "POST", fmt.Sprintf("/users/%d/tokens", id), formBody(url.Values{"name": {"备用"}}))
		if page.code != http.StatusOK || !bytes.Contains(page.body, []byte(`id="token-secret"`)) || !bytes.Contains(page.body, []byte("备用")) {
			t.Errorf("make a token on the page: %d, the secret or the list missing", page.code)
		}
		bearer := []string{"Authorization", "Bearer " + tok.Secret}
		sys := func(method, path string, b *body) result { return s.call(t, method, path, nil, b, bearer...) }
		var me meJSON
		sys("GET", "/api/v1/me", nil).json(t, &me)
		if me.Role != access.RoleService {
			t.Fatalf("the token signs in as %+v", me)
		}
		wantError(t, "a token mints a token", sys("POST", "/api/v1/tokens", jsonBody(tokenInput{Name: "x"})), http.StatusForbidden, "token_by_token")

		in := appealInput("热线来电")
		in.CreditCode, in.Channel, in.SourceRef = enterpriseIn(true), appeal.ChannelHotline, "12345-"+name
		res = sys("POST", "/api/v1/appeals", jsonBody(in))
		if res.code != http.StatusCreated {
			t.Fatalf("raise by the hotline: %d %s", res.code, res.body)
		}
		var a appealweb.AppealJSON
		res.json(t, &a)
		if a.Channel != appeal.ChannelHotline || a.SourceRef != in.SourceRef {
			t.Errorf("raised with channel %s, reference %q", a.Channel, a.SourceRef)
		}
		again := in
		again.Title += "（重发）"
		wantError(t, "the same reference twice", sys("POST", "/api/v1/appeals", jsonBody(again)), http.StatusUnprocessableEntity, "")
		web := in
		web.Channel, web.SourceRef = appeal.ChannelWeb, in.SourceRef+"-web"
		wantError(t, "a channel the system may not use", sys("POST", "/api/v1/appeals", jsonBody(web)), http.StatusUnprocessableEntity, "")
		outside := in
		outside.CreditCode, outside.SourceRef = enterpriseIn(false), in.SourceRef+"-out"
		wantError(t, "an enterprise outside its region", sys("POST", "/api/v1/appeals", jsonBody(outside)), http.StatusUnprocessableEntity, "")
		own := appealInput("企业自报")
		own.SourceRef = "mine"
		wantError(t, "an enterprise gives a source reference", s.as(t, "enterprise", "POST", "/api/v1/appeals", jsonBody(own)),
			http.StatusUnprocessableEntity, "")

		// Found again by its reference, read with its answer; another's appeal is not there.
		var l core.List[appealweb.AppealRowJSON]
		sys("GET", "/api/v1/appeals?"+url.Values{"queue": {"all"}, "source_ref": {in.SourceRef}}.Encode(), nil).json(t, &l)
		if l.Total != 1 || l.Items[0].ID != a.ID {
			t.Errorf("found by reference: %d, want the one raised", l.Total)
		}
		if res := sys("GET", fmt.Sprintf("/api/v1/appeals/%d", a.ID), nil); res.code != http.StatusOK {
			t.Errorf("read what it raised: %d", res.code)
		}
		other := s.raise(t, "别人的诉求")
		if res := sys("GET", fmt.Sprintf("/api/v1/appeals/%d", other.ID), nil); res.code != http.StatusNotFound {
			t.Errorf("read another's appeal: %d, want 404", res.code)
		}
		sys("GET", "/api/v1/appeals?queue=all&size=200", nil).json(t, &l)
		for _, x := range l.Items {
			if x.ID == other.ID {
				t.Errorf("the system's list holds an appeal it did not raise")
			}
		}
		// Its work is audited as itself.
		if n := s.auditTotal(t, url.Values{"actor": {name}}.Encode()); n == 0 {
			t.Errorf("nothing audited as %s", name)
		}
		// The administrator revokes the token: the system is signed out.
		if res := s.as(t, "admin", "DELETE", fmt.Sprintf("/api/v1/tokens/%d", tok.ID), nil); res.code != http.StatusNoContent {
			t.Fatalf("revoke the system's token: %d %s", res.code, res.body)
		}
		wantError(t, "a revoked token", sys("GET", "/api/v1/me", nil), http.StatusUnauthorized, "")
	})
}
