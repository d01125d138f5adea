package appeal

import "testing"

// FuzzInput runs arbitrary text through the raise form's rules: never a
// panic, normalizing twice changes nothing, and what validates has its
// fields within their limits.
func FuzzInput(f *testing.F) {
	f.Add("招工困难", "缺少熟练工人约 30 名。", "labour.recruit", "王经理", "138 0574 1234", "91330206MA2GQ1234X")
	f.Add("", "", "", "", "", "")
	f.Add("\x00\xff", "<script>", "../..", "'; DROP TABLE appeals;--", "+86", "９１")
	cats := DefaultCategories()
	f.Fuzz(func(t *testing.T, title, content, category, contact, phone, code string) {
		in := Input{Channel: ChannelWeb, Type: TypeHelp, Category: category, Title: title, Content: content,
			Contact: contact, Phone: phone, CreditCode: code}
		in.Normalize()
		again := in
		again.Normalize()
		if again != in {
			t.Fatalf("Normalize not idempotent: %+v → %+v", in, again)
		}
		if in.Validate(cats) == nil {
			if len([]rune(in.Title)) > MaxTitle || len([]rune(in.Content)) > MaxContent || len(in.CreditCode) != 18 {
				t.Fatalf("validated out of limits: %+v", in)
			}
		}
		_ = Similarity(title, content)
	})
}
