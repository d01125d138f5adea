package web

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"testing"
	"time"

	"qifu/internal/calendar"
)

// surveyForm is the form the site's tests send: a fact, a yes/no and a
// number asked when it is yes.
var surveyForm = map[string]any{"definition": map[string]any{"zh": "用工需求排摸", "en": "Labour needs", "sections": []any{
	map[string]any{"zh": "用工", "questions": []any{
		map[string]any{"key": "employees", "type": "fact", "fact": "employees", "zh": "从业人员", "required": true},
		map[string]any{"key": "short", "type": "yesno", "zh": "是否缺工", "en": "Short of workers?", "required": true},
		map[string]any{"key": "gap", "type": "number", "zh": "缺工人数", "unit": "人", "min": 1, "required": true,
			"when": map[string]any{"key": "short", "equals": "yes"}},
		map[string]any{"key": "photo", "type": "file", "zh": "车间照片"},
	}}}}}

// dueAhead is a due day n working days from the site's today.
func (s *site) dueAhead(t testing.TB, n int) string {
	t.Helper()
	cal, err := s.st.Calendar(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return cal.AddDays(s.st.Now(), n).In(calendar.Shanghai).Format(time.DateOnly)
}

// sendSurvey builds the survey form as the showcase community's staff and
// sends it to the showcase grid's enterprises: the form's ID and the
// campaign's.
func (s *site) sendSurvey(t testing.TB) (formID, campaignID int64) {
	t.Helper()
	res := s.as(t, "community", "POST", "/api/v1/forms", jsonBody(surveyForm))
	if res.code != http.StatusCreated {
		t.Fatalf("create a form: %d %s", res.code, res.body)
	}
	var f struct {
		ID int64 `json:"id"`
	}
	res.json(t, &f)
	res = s.as(t, "community", "POST", fmt.Sprintf("/api/v1/forms/%d/campaigns", f.ID), jsonBody(map[string]any{
		"title": "用工需求排摸", "due": s.dueAhead(t, 5), "audience": map[string]any{"regions": []string{showGrid}}}))
	if res.code != http.StatusCreated {
		t.Fatalf("send the form: %d %s", res.code, res.body)
	}
	var c struct {
		ID      int64 `json:"id"`
		Members int   `json:"members"`
	}
	res.json(t, &c)
	if c.Members == 0 {
		t.Fatal("the campaign has no members")
	}
	return f.ID, c.ID
}

// uploadSurveyFile uploads a photo for the enterprise of id on a campaign
// as the showcase community's staff: the file's ID.
func (s *site) uploadSurveyFile(t testing.TB, campaignID, enterpriseID int64) int64 {
	t.Helper()
	res := s.as(t, "community", "POST", fmt.Sprintf("/api/v1/surveys/%d/files?enterprise=%d", campaignID, enterpriseID), fileBody("车间照片.png", pngBytes))
	if res.code != http.StatusCreated {
		t.Fatalf("upload a photo: %d %s", res.code, res.body)
	}
	var f struct {
		ID  int64  `json:"id"`
		Ref string `json:"ref"`
	}
	res.json(t, &f)
	if f.Ref != fmt.Sprintf("file:%d", f.ID) {
		t.Fatalf("the file's ref: %q", f.Ref)
	}
	return f.ID
}

// TestSurveyAPI holds what the campaigns' API gives out: the audience's
// definition (its named list) only to those who may run the campaign, its
// words to every reader; and a phone's photo of a few megabytes taken as
// an appeal's attachment would be.
func TestSurveyAPI(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		_, cid := s.sendSurvey(t)
		for who, full := range map[string]bool{"community": true, "enterprise": false, "grid": false} {
			res := s.as(t, who, "GET", fmt.Sprintf("/api/v1/campaigns/%d", cid), nil)
			var c map[string]any
			res.json(t, &c)
			if _, has := c["audience"]; has != full || c["audience_said"] == nil {
				t.Errorf("%s reads the campaign's audience: %v (want %v), said %v", who, has, full, c["audience_said"])
			}
		}
		photo := append(append([]byte{}, pngBytes...), bytes.Repeat([]byte{0}, 2<<20)...)
		res := s.as(t, "community", "POST", fmt.Sprintf("/api/v1/surveys/%d/files?enterprise=%d", cid, s.entID(t, demoAccount("enterprise").EnterpriseCode)),
			fileBody("车间照片.png", photo))
		if res.code != http.StatusCreated {
			t.Errorf("a 2 MiB photo: %d %.200s", res.code, res.body)
		}
	})
}

// TestRaiseFromAnswers turns an enterprise's answers into an appeal in one
// step: the grid worker who reads them is offered the appeal form with the
// enterprise, the survey's title and the answers filled in.
func TestRaiseFromAnswers(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		_, cid := s.sendSurvey(t)
		eid := s.entID(t, demoAccount("enterprise").EnterpriseCode)
		res := s.as(t, "grid", "POST", fmt.Sprintf("/api/v1/surveys/%d/submit", cid), jsonBody(map[string]any{"enterprise_id": eid,
			"answers": map[string]any{"employees": "64", "short": "yes", "gap": 12}}))
		if res.code != http.StatusCreated {
			t.Fatalf("submit: %d %s", res.code, res.body)
		}
		page := s.as(t, "grid", "GET", fmt.Sprintf("/surveys/%d?enterprise=%d", cid, eid), nil)
		m := regexp.MustCompile(`href="(/appeals/new\?[^"]+)" id="raise-from-answers"`).FindSubmatch(page.body)
		if m == nil {
			t.Fatalf("the answers page offers no appeal: %.300s", page.body)
		}
		form := s.as(t, "grid", "GET", html.UnescapeString(string(m[1])), nil)
		if form.code != http.StatusOK || !bytes.Contains(form.body, []byte("缺工人数：12 人")) || !bytes.Contains(form.body, []byte(demoAccount("enterprise").EnterpriseCode)) {
			t.Errorf("the appeal form from the answers: %d, prefilled %v", form.code, bytes.Contains(form.body, []byte("缺工人数")))
		}
		// The enterprise itself is not offered to raise for itself from here.
		if own := s.as(t, "enterprise", "GET", fmt.Sprintf("/surveys/%d", cid), nil); bytes.Contains(own.body, []byte("raise-from-answers")) {
			t.Error("the enterprise is offered to raise from its own answers")
		}
	})
}
