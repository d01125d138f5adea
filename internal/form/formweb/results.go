package formweb

import (
	"net/http"
	"strconv"

	"qifu/internal/audience/audiencedb"
	"qifu/internal/form"
	"qifu/internal/form/formdb"
	"qifu/internal/web/core"
)

// A campaign's results at a glance: for each question that can be
// counted, how many enterprises in the reader's reach chose each option, or
// the sum and spread of a number — drawn as bars on the page, and in the API
// for a chart of one's own.

type resultsData struct {
	core.Base
	C        audiencedb.Campaign
	Answered int
	Members  int
	Tallies  []form.Tally
}

// Pct is an option's share as the page shows it and its bar's width.
func (p *resultsData) Pct(t form.Tally, c form.OptionCount) string {
	return strconv.FormatFloat(t.Share(c), 'f', 1, 64)
}

// Num formats a number of the results.
func (p *resultsData) Num(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// tally reads a campaign's submitted answers in the actor's reach and counts them.
func (s *Handlers) tally(r *http.Request) (resultsData, error) {
	a, _ := core.ActorOf(r)
	var p resultsData
	id, err := core.PathID(r, "id")
	if err != nil {
		return p, err
	}
	if p.C, err = s.campaigns.Campaign(r.Context(), a, id); err != nil {
		return p, err
	}
	def, err := s.forms.VersionOf(r.Context(), p.C)
	if err != nil {
		return p, err
	}
	var all []form.Answers
	if err := s.forms.EachAnswer(r.Context(), s.campaigns, a, id, func(x formdb.Answer) error {
		p.Members++
		if x.Submission != nil {
			all = append(all, x.Submission.Answers)
		}
		return nil
	}); err != nil {
		return p, err
	}
	p.Answered, p.Tallies = len(all), form.Counts(def, all)
	return p, nil
}

func (s *Handlers) resultsPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.tally(r)
	if err != nil {
		return err
	}
	p.Title = p.C.Title
	s.Render(w, r, http.StatusOK, "campaign_results", &p)
	return nil
}

// resultsJSON are a campaign's counted answers.
type resultsJSON struct {
	Members   int         `json:"members"`  // in the caller's reach
	Answered  int         `json:"answered"` // of them
	Questions []tallyJSON `json:"questions"`
}

type tallyJSON struct {
	Key      string       `json:"key"`
	Type     form.Type    `json:"type"`
	Label    string       `json:"label"`
	Answered int          `json:"answered"`
	Options  []optionJSON `json:"options,omitempty"`
	Count    int          `json:"count,omitempty"` // numbers answered
	Sum      float64      `json:"sum,omitempty"`
	Min      float64      `json:"min,omitempty"`
	Max      float64      `json:"max,omitempty"`
	Mean     float64      `json:"mean,omitempty"`
}

type optionJSON struct {
	Value string  `json:"value"`
	Label string  `json:"label"`
	Count int     `json:"count"`
	Share float64 `json:"share"` // percent of those who answered the question
}

func (s *Handlers) apiResults(w http.ResponseWriter, r *http.Request) error {
	p, err := s.tally(r)
	if err != nil {
		return err
	}
	lang := core.LangOf(r)
	out := resultsJSON{Members: p.Members, Answered: p.Answered, Questions: []tallyJSON{}}
	for _, t := range p.Tallies {
		q := tallyJSON{Key: t.Question.Key, Type: t.Question.Type, Label: t.Question.Label().In(lang), Answered: t.Answered,
			Count: t.Count, Sum: t.Sum, Min: t.Min, Max: t.Max, Mean: t.Mean()}
		for _, c := range t.Options {
			q.Options = append(q.Options, optionJSON{Value: c.Option.Value, Label: pick(lang, c.Option.Zh, c.Option.En), Count: c.Count, Share: t.Share(c)})
		}
		out.Questions = append(out.Questions, q)
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

func pick(lang, zh, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return zh
}
