package appealdb_test

import (
	"context"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"

	"qifu/internal/appeal"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/fault"
)

// lin* are the operations of the linearizability check: a read of an
// appeal's state and version, or a step taken on the version the client last
// saw.
type linInput struct {
	appeal  int64
	action  appeal.Action // "" for a read
	version int64
}

type linOutput struct {
	outcome string // "ok", "stale", "wrong_state"
	state   appeal.State
	version int64
}

type linState struct {
	state   appeal.State
	version int64
}

// linModel is the sequential model of the lifecycle's version protocol for
// the steps the check takes: a step on a version other than the current one
// is stale; on the current one it is taken if the lifecycle table allows it
// from the current state (and then the version goes up by one), and refused
// as the wrong state if not.
var linModel = porcupine.Model{
	Partition: func(history []porcupine.Operation) [][]porcupine.Operation {
		by := map[int64][]porcupine.Operation{}
		var order []int64
		for _, op := range history {
			id := op.Input.(linInput).appeal
			if _, ok := by[id]; !ok {
				order = append(order, id)
			}
			by[id] = append(by[id], op)
		}
		var out [][]porcupine.Operation
		for _, id := range order {
			out = append(out, by[id])
		}
		return out
	},
	Init: func() interface{} { return linState{state: appeal.Accepted, version: 2} },
	Step: func(st, in, out interface{}) (bool, interface{}) {
		s, i, o := st.(linState), in.(linInput), out.(linOutput)
		if i.action == "" {
			return o.state == s.state && o.version == s.version, s
		}
		if i.version != s.version {
			return o.outcome == "stale", s
		}
		next, ok := linNext(i.action, s.state)
		if !ok {
			return o.outcome == "wrong_state", s
		}
		after := linState{state: next, version: s.version + 1}
		return o.outcome == "ok" && o.version == after.version && o.state == after.state, after
	},
	Equal: func(a, b interface{}) bool { return a.(linState) == b.(linState) },
}

// linNext is what the lifecycle table says of the check's steps.
func linNext(a appeal.Action, from appeal.State) (appeal.State, bool) {
	switch a {
	case appeal.RequestInfo:
		return appeal.AwaitingInfo, from == appeal.Accepted
	case appeal.SupplyInfo:
		return appeal.Accepted, from == appeal.AwaitingInfo
	case appeal.Note, appeal.Urge:
		return from, from == appeal.Accepted
	}
	return from, false
}

// TestLinearizable runs 20 clients for a few seconds (QIFU_LINEAR_SECONDS
// for longer) over three appeals through three handles on one store: reads,
// and steps on the version each client last read. The history must be
// linearizable with respect to the sequential lifecycle model.
func TestLinearizable(t *testing.T) {
	t.Parallel()
	seconds := 3
	if v, err := strconv.Atoi(os.Getenv("QIFU_LINEAR_SECONDS")); err == nil && v > 0 {
		seconds = v
	}
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		handles := []*appealdb.Store{s.Store, openStore(t, s.DSN, s.Clock).Store, openStore(t, s.DSN, s.Clock).Store}
		var ids []int64
		for range 3 {
			a := s.raise(t, "enterprise", "")
			if got := s.act(t, "community", a.ID, appeal.Command{Action: appeal.Accept}); got.Version != 2 {
				t.Fatalf("an accepted appeal has version %d; the model starts at 2", got.Version)
			}
			ids = append(ids, a.ID)
		}
		community, ent, admin := s.As(t, "community"), s.As(t, "enterprise"), s.As(t, "admin")
		began := time.Now()
		deadline := began.Add(time.Duration(seconds) * time.Second)
		var mu sync.Mutex
		var history []porcupine.Operation
		var wg sync.WaitGroup
		for c := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(c), 7))
				h := handles[c%len(handles)]
				seen := map[int64]int64{}
				for time.Now().Before(deadline) {
					id := ids[r.IntN(len(ids))]
					var in linInput
					var out linOutput
					call := time.Now().UnixNano()
					if seen[id] == 0 || r.IntN(3) == 0 {
						in = linInput{appeal: id}
						v, err := h.Appeal(ctx, admin, id)
						if err != nil {
							t.Errorf("read: %v", err)
							return
						}
						out = linOutput{outcome: "ok", state: v.State, version: v.Version}
						seen[id] = v.Version
					} else {
						action := []appeal.Action{appeal.RequestInfo, appeal.SupplyInfo, appeal.Note, appeal.Urge}[r.IntN(4)]
						actor := community
						if action == appeal.SupplyInfo {
							actor = ent
						}
						in = linInput{appeal: id, action: action, version: seen[id]}
						a, err := h.Act(ctx, actor, id, appeal.Command{Action: action, Version: seen[id], Note: "线性一致性检查"})
						switch {
						case err == nil:
							out = linOutput{outcome: "ok", state: a.State, version: a.Version}
							seen[id] = a.Version
						case fault.As(err) != nil && fault.As(err).Code == "stale_version":
							out = linOutput{outcome: "stale"}
						case fault.As(err) != nil && fault.As(err).Code == "wrong_state":
							out = linOutput{outcome: "wrong_state"}
						default:
							t.Errorf("%s: %v", action, err)
							return
						}
					}
					ret := time.Now().UnixNano()
					mu.Lock()
					history = append(history, porcupine.Operation{ClientId: c, Input: in, Call: call, Output: out, Return: ret})
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		taken := map[string]int{}
		for _, op := range history {
			o := op.Output.(linOutput)
			if op.Input.(linInput).action == "" {
				taken["read"]++
			} else {
				taken[o.outcome]++
			}
		}
		res := porcupine.CheckOperationsTimeout(linModel, history, time.Minute)
		t.Logf("linearizability: %d operations by 20 clients in %s over 3 appeals and 3 handles (%v): %s",
			len(history), time.Since(began).Round(time.Millisecond), taken, res)
		if res != porcupine.Ok {
			t.Errorf("the history is not linearizable with respect to the lifecycle model: %s", res)
		}
		if taken["ok"] == 0 || taken["stale"] == 0 {
			t.Errorf("the check took no step or saw no race: %v", taken)
		}
	})
}
