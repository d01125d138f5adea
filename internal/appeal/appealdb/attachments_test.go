package appealdb_test

import (
	"bytes"
	"context"
	"testing"

	"qifu/internal/appeal"
	"qifu/internal/attach"
	"qifu/internal/fault"
	"qifu/internal/store/storetest"
)

func TestAttachments(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		dir, err := attach.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		b, err := dir.Put(bytes.NewReader([]byte("%PDF-1.4 营业执照扫描件")), "执照.pdf")
		if err != nil {
			t.Fatal(err)
		}
		a := s.raise(t, "enterprise", "")
		at, err := s.AddAttachment(ctx, s.As(t, "enterprise"), a.ID, `C:\Users\王\执照.pdf`, b)
		if err != nil {
			t.Fatal(err)
		}
		if at.Name != "执照.pdf" || at.MIME != "application/pdf" {
			t.Errorf("attachment %+v", at)
		}
		// Only those who may see the appeal see the file; the rest get 404.
		for _, who := range []string{"enterprise", "community", "grid", "street_leader", "admin"} {
			if _, err := s.Attachment(ctx, s.As(t, who), at.ID); err != nil {
				t.Errorf("%s: %v", who, err)
			}
		}
		for _, who := range []string{"dept_tax", "lawyer", "community_" + otherCommunity(t)} {
			if _, err := s.Attachment(ctx, s.As(t, who), at.ID); !fault.Is(err, fault.NotFound) && !fault.Is(err, fault.Forbidden) {
				t.Errorf("%s sees the file: %v", who, err)
			}
		}
		// A leader watches but does not add files; a closed appeal takes none.
		if _, err := s.AddAttachment(ctx, s.As(t, "street_leader"), a.ID, "x.pdf", b); !fault.Is(err, fault.Forbidden) {
			t.Errorf("leader adds a file: %v", err)
		}
		s.act(t, "community", a.ID, appeal.Command{Action: appeal.Accept})
		s.act(t, "community", a.ID, appeal.Command{Action: appeal.Resolve, Result: appeal.Solved, Note: "已解决"})
		s.act(t, "enterprise", a.ID, appeal.Command{Action: appeal.Rate, Rating: appeal.Satisfied})
		if _, err := s.AddAttachment(ctx, s.As(t, "enterprise"), a.ID, "late.pdf", b); !fault.Is(err, fault.Conflict) {
			t.Errorf("a file on a closed appeal: %v", err)
		}
		if v := s.view(t, "enterprise", a.ID); len(v.Attachments) != 1 {
			t.Errorf("the view lists %d attachments", len(v.Attachments))
		}
	})
}

// otherCommunity returns the code of a community other than the showcase's.
func otherCommunity(t *testing.T) string {
	t.Helper()
	show := storetest.DemoUser(t, "community").RegionCode
	for _, u := range dataset.Users {
		if u.Username == "community_"+u.RegionCode && u.RegionCode != show {
			return u.RegionCode
		}
	}
	t.Fatal("no other community")
	return ""
}
