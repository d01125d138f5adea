package appealdb

import (
	"context"
	"fmt"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/store"
	"qifu/internal/todo"
)

// The appeal workflow's kinds of work (todo.Source), each one of the
// queues the pages work from.
const (
	TodoTriage = "appeal.triage" // a community's or grid's appeals to accept, decide or take back: the triage queue
	TodoSign   = "appeal.sign"   // a department's dispatches to sign or return
	TodoHandle = "appeal.handle" // a department's signed dispatches to handle and answer
	TodoRate   = "appeal.rate"   // an enterprise's answered appeals to rate
	TodoInfo   = "appeal.info"   // an enterprise's appeals that wait for more information from it
)

// todoQueries are the queries behind each kind of work.
var todoQueries = map[string]AppealQuery{
	TodoTriage: {Queue: QueueTriage},
	TodoSign:   {Queue: QueueToSign},
	TodoHandle: {Queue: QueueInHand},
	TodoRate:   {Queue: QueueToRate},
	TodoInfo:   {Queue: QueueTracking, State: appeal.AwaitingInfo},
}

// TodoKinds are the kinds of appeal work a role is given.
func (s *Store) TodoKinds(role access.Role) []string {
	switch role {
	case access.RoleGridWorker, access.RoleCommunityStaff:
		return []string{TodoTriage}
	case access.RoleDepartment:
		return []string{TodoSign, TodoHandle}
	case access.RoleEnterprise:
		return []string{TodoInfo, TodoRate}
	}
	return nil
}

// Todo lists the actor's first limit appeals of a kind of work, by time
// left, and how many there are; with limit 0, only how many.
func (s *Store) Todo(ctx context.Context, actor access.Actor, kind string, limit int) ([]todo.Item, int, error) {
	q, ok := todoQueries[kind]
	if !ok {
		return nil, 0, fmt.Errorf("appeal to-do: unknown kind %q", kind)
	}
	if limit <= 0 {
		n, err := s.CountAppeals(ctx, actor, q)
		return nil, n, err
	}
	q.Page = store.Page{Size: min(limit, store.MaxPageSize)}
	var items []todo.Item
	total := 0
	// A page past the store's largest is read in pages.
	for page := 1; len(items) < limit; page++ {
		q.Page.Number = page
		rows, n, err := s.Appeals(ctx, actor, q)
		if err != nil {
			return nil, 0, err
		}
		total = n
		for _, r := range rows {
			items = append(items, todo.Item{Kind: kind, Ref: r.Number, Title: r.Title, Enterprise: r.Enterprise,
				Href: fmt.Sprintf("/appeals/%d", r.ID), Due: r.Due, Colour: string(r.Colour)})
		}
		if len(rows) < q.Page.Size {
			break
		}
	}
	if len(items) > limit {
		items = items[:limit]
	}
	return items, total, nil
}
