package pdf

import (
	"strings"
	"time"
)

// joinNonEmpty joins the non-empty, trimmed parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	kept := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}

// addressLines writes a postal address the Spanish way: street lines, then
// "28013 Madrid (Madrid)", then the country.
func addressLines(a Address) []string {
	city := joinNonEmpty(" ", a.PostalCode, a.City)
	if p := strings.TrimSpace(a.Province); p != "" && !strings.EqualFold(p, strings.TrimSpace(a.City)) {
		city = joinNonEmpty(" ", city, "("+p+")")
	}
	var out []string
	for _, l := range []string{a.Line1, a.Line2, city, a.Country} {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// groupIBAN prints an IBAN in blocks of four, as banks and customers read it.
func groupIBAN(iban string) string {
	compact := strings.ToUpper(strings.Join(strings.Fields(iban), ""))
	var b strings.Builder
	for i, c := range compact {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// sameDay tells whether a and b fall on the same civil date.
func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
