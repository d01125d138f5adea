package appeal

// Standard is what the appeal workflow reads of a version of an entry of
// the catalogue of service standards (服务标准清单, package catalogue keeps
// the rest): a service enterprises may ask for, with the department
// responsible and the time limit it promises. An appeal linked to a
// standard inherits both — the department is proposed first for dispatch
// and the handling limit is the standard's — and keeps the version it was
// raised under.
type Standard struct {
	Code       string `json:"code"`
	Group      string `json:"group"` // governance, support, employees, party
	Name       string `json:"name"`
	NameEn     string `json:"name_en"`
	Category   string `json:"category"`   // the appeal category it falls under
	Department string `json:"department"` // code of the responsible department
	Handle     Span   `json:"handle"`     // the promised handling time
	Version    int64  `json:"version"`
	From       string `json:"from"`            // in force from, YYYY-MM-DD
	Until      string `json:"until,omitempty"` // withdrawn on; "" in force
}

// InForce reports whether the standard is offered on day (YYYY-MM-DD).
func (s Standard) InForce(day string) bool {
	return s.From <= day && (s.Until == "" || day < s.Until)
}

// Standards is the catalogue as a list.
type Standards []Standard

// Find returns the standard with code.
func (ss Standards) Find(code string) (Standard, bool) {
	for _, s := range ss {
		if s.Code == code {
			return s, true
		}
	}
	return Standard{}, false
}
