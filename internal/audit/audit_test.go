package audit

import (
	"errors"
	"testing"
	"time"
)

func chain(n int) []Entry {
	var list []Entry
	prev := ""
	for i := 1; i <= n; i++ {
		e := Entry{ID: int64(i), Chain: 2, Pos: int64(i), At: time.UnixMilli(int64(1e12 + i)), ActorID: 7, ActorName: "张三",
			Role: "admin", Action: "user.update", Target: "user/3", Result: OK, ClientAddr: "127.0.0.1",
			Detail: `{"field":"role"}`, PrevHash: prev}
		e.Hash = Sum(e)
		prev = e.Hash
		list = append(list, e)
	}
	return list
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name   string
		tamper func([]Entry) []Entry
		want   int64 // ID of the break, 0 when the chain holds
	}{
		{"intact", func(l []Entry) []Entry { return l }, 0},
		{"changed detail", func(l []Entry) []Entry { l[2].Detail = `{}`; return l }, 3},
		{"changed actor", func(l []Entry) []Entry { l[0].ActorName = "李四"; return l }, 1},
		{"removed entry", func(l []Entry) []Entry { return append(l[:1], l[2:]...) }, 2},
		{"rehashed entry", func(l []Entry) []Entry { l[1].Result = Denied; l[1].Hash = Sum(l[1]); return l }, 3},
		{"swapped entries", func(l []Entry) []Entry { l[3], l[4] = l[4], l[3]; return l }, 4},
		{"moved to another chain", func(l []Entry) []Entry { l[4].Chain = 3; return l }, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list := tt.tamper(chain(6))
			v := NewVerifier(2, 0, "")
			var got int64
			for _, e := range list {
				if err := v.Check(e); err != nil {
					var b Break
					if !errors.As(err, &b) {
						t.Fatalf("error %v is not a Break", err)
					}
					got = b.Pos
					break
				}
			}
			if got != tt.want {
				t.Errorf("break at %d, want %d", got, tt.want)
			}
		})
	}
}

func TestHead(t *testing.T) {
	list := chain(3)
	v := NewVerifier(2, 0, "")
	for _, e := range list {
		if err := v.Check(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := v.Head(3, list[2].Hash); err != nil {
		t.Errorf("intact head: %v", err)
	}
	for _, bad := range []struct {
		seq  int64
		hash string
		at   int64
	}{
		{4, list[2].Hash, 4}, // the last entry removed
		{2, list[1].Hash, 3}, // an entry beyond the head
		{3, "x", 3},          // the head's hash differs
	} {
		var b Break
		if err := v.Head(bad.seq, bad.hash); !errors.As(err, &b) || b.Pos != bad.at || b.Chain != 2 {
			t.Errorf("head %d %q: %v, want a break at entry %d of chain 2", bad.seq, bad.hash, err, bad.at)
		}
	}
}

// TestAnchor checks a chain verified from an anchor a purge left.
func TestAnchor(t *testing.T) {
	list := chain(5)
	v := NewVerifier(2, 2, list[1].Hash)
	for _, e := range list[2:] {
		if err := v.Check(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := v.Head(5, list[4].Hash); err != nil || v.Checked != 3 {
		t.Errorf("from the anchor: %d checked, %v", v.Checked, err)
	}
	w := NewVerifier(2, 2, "not the anchor's hash")
	if err := w.Check(list[2]); err == nil {
		t.Error("an entry chained to another anchor passed")
	}
}
