package dossier

import (
	"context"
	"slices"
	"time"

	"qifu/internal/access"
	"qifu/internal/fault"
)

// Entry is one line of an enterprise's timeline: something a module knows
// happened to it, linking to its record.
type Entry struct {
	At     time.Time
	Module string // the module that knows it: "appeal", "fact", …
	// What happened and the record's state now, as keys of the site's
	// catalog of words ("tl.appeal", "state.closed"; Status may be "").
	What, Status string
	// Ref is the record's number, Title its own words (an appeal's title):
	// user data, shown as it is in both languages.
	Ref, Title string
	// Said is what the module says of the record in both languages when it
	// has no words of its own (a fact: its kind, period and value).
	Said fault.Msg
	Href string // the record's page; "" when it has none of its own
}

// A TimelineSource is a module's part of the enterprises' timelines: the
// newest limit entries of the enterprise that actor may see, newest first.
// A source asked for an enterprise the actor may not see answers nothing.
type TimelineSource interface {
	Timeline(ctx context.Context, actor access.Actor, enterpriseID int64, limit int) ([]Entry, error)
}

// Merge joins the sources' entries, newest first, and keeps the newest limit.
func Merge(limit int, lists ...[]Entry) []Entry {
	var all []Entry
	for _, l := range lists {
		all = append(all, l...)
	}
	slices.SortStableFunc(all, func(a, b Entry) int { return b.At.Compare(a.At) })
	if len(all) > limit {
		all = all[:limit]
	}
	return all
}
