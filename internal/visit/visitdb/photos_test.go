package visitdb_test

import (
	"context"
	"testing"

	"qifu/internal/fault"
	"qifu/internal/store/storetest"
	"qifu/internal/visit"
)

// TestPhotos holds a visit's optional photos on both stores: kept with the
// visit, images only, at most three, added later by one who may record
// visits to the enterprise, read by those who read the visit.
func TestPhotos(t *testing.T) {
	t.Parallel()
	storetest.Each(t, true, open, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		grid, ent := s.As(t, "grid"), s.As(t, "enterprise")
		eid := ent.EnterpriseID
		photo := func(n string) visit.Photo {
			return visit.Photo{Name: n + ".jpg", MIME: "image/jpeg", Size: 1000, SHA256: "ab" + n}
		}
		v := routine(eid, grid, "社区")
		v.Photos = []visit.Photo{photo("1"), photo("2")}
		got := s.record(t, grid, v, "")
		read, err := s.Visits.Visit(ctx, ent, got.ID)
		if err != nil || len(read.Photos) != 2 {
			t.Fatalf("the enterprise reads %d photos, %v", len(read.Photos), err)
		}
		if p, err := s.Visits.Photo(ctx, ent, got.ID, read.Photos[0].ID); err != nil || p.SHA256 != "ab1" {
			t.Errorf("a photo: %+v, %v", p, err)
		}
		if _, err := s.Visits.Photo(ctx, ent, got.ID, 999999); !fault.Is(err, fault.NotFound) {
			t.Errorf("a photo of another visit: %v", err)
		}
		doc := photo("3")
		doc.MIME = "application/pdf"
		if _, err := s.Visits.AddPhoto(ctx, grid, got.ID, doc); err == nil {
			t.Error("a document added as a photo")
		}
		if _, err := s.Visits.AddPhoto(ctx, ent, got.ID, photo("3")); !fault.Is(err, fault.Forbidden) {
			t.Errorf("the enterprise adds a photo to a visit: %v", err)
		}
		if _, err := s.Visits.AddPhoto(ctx, grid, got.ID, photo("3")); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Visits.AddPhoto(ctx, grid, got.ID, photo("4")); err == nil {
			t.Error("a fourth photo")
		}
		four := routine(eid, grid, "社区")
		four.Photos = []visit.Photo{photo("1"), photo("2"), photo("3"), photo("4")}
		if _, err := s.Visits.Record(ctx, grid, four, ""); err == nil {
			t.Error("a visit with four photos")
		}
	})
}
