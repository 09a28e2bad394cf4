package einvoice

import (
	"regexp"
	"strings"

	"github.com/shopspring/decimal"
	"golang.org/x/text/unicode/norm"
)

// VAT category codes of EN 16931 (UNCL 5305, the subset the standard uses).
const (
	CategoryStandard      = "S"  // taxed at a rate above zero
	CategoryZero          = "Z"  // taxed at zero per cent (tipo cero)
	CategoryExempt        = "E"  // exenta
	CategoryReverseCharge = "AE" // inversión del sujeto pasivo: the buyer accounts for the VAT
	CategoryIntraEU       = "K"  // entrega intracomunitaria, exempt (art. 25 LIVA)
	CategoryExport        = "G"  // exportación, exempt (art. 21 LIVA)
	CategoryNotSubject    = "O"  // no sujeta: outside the scope of Spanish VAT
)

// Category is a line's VAT category, with the exemption reason the invoice
// gives (its text) and, where the reason names one, the VATEX code (the
// CEF list of exemption reason codes) that says the same.
type Category struct {
	Code   string
	VATEX  string
	Reason string
}

// Exempt tells whether the category carries no VAT for a reason the
// invoice must state (all but S and Z).
func (c Category) Exempt() bool { return c.Code != CategoryStandard && c.Code != CategoryZero }

// Classify tells a line's VAT category from its IVA rate and the exemption
// reason typed on it. A rate above zero is S. At zero the reason decides, by
// the words and articles of Ley 37/1992 (LIVA) it cites, or by the
// VERI*FACTU codes (E1–E6 exempt, N1–N2 not subject, S2 reverse charge)
// when it is one: not subject (arts. 7, 69, 70, 78 or "no sujeta") is O;
// reverse charge (art. 84 or "inversión del sujeto pasivo") is AE; an
// intra-EU supply (art. 25) is K; an export (art. 21) is G; "tipo cero" is
// Z; any other reason is E, with VATEX-EU-132 for the exemptions in the
// public interest of art. 20.Uno (1º–15º), VATEX-EU-135 for the financial,
// insurance and property ones (16º–27º) and the reason's text alone when
// no code fits.
func Classify(rate decimal.Decimal, reason string) Category {
	reason = strings.TrimSpace(reason)
	if rate.IsPositive() {
		return Category{Code: CategoryStandard}
	}
	c := Category{Reason: reason}
	text := fold(reason)
	code := strings.ToUpper(strings.TrimSpace(reason))
	switch {
	case code == "S2" || contains(text, "inversion del sujeto pasivo", "reverse charge", "art. 84", "articulo 84"):
		c.Code, c.VATEX = CategoryReverseCharge, "VATEX-EU-AE"
	case code == "E5" || contains(text, "intracomunitaria", "intra-community", "intra community", "intra-eu", "art. 25", "articulo 25"):
		c.Code, c.VATEX = CategoryIntraEU, "VATEX-EU-IC"
	case code == "E2" || contains(text, "exportacion", "export", "art. 21", "articulo 21"):
		c.Code, c.VATEX = CategoryExport, "VATEX-EU-G"
	case code == "N1" || code == "N2" || contains(text, "no sujet", "not subject", "outside the scope", "fuera del ambito",
		"art. 7 ", "art. 7.", "art. 69", "art. 70", "art. 78", "articulo 69", "articulo 70", "articulo 78"):
		c.Code, c.VATEX = CategoryNotSubject, "VATEX-EU-O"
	case contains(text, "tipo cero", "tipo 0", "zero rate", "zero-rate"):
		c.Code, c.VATEX, c.Reason = CategoryZero, "", ""
	default:
		c.Code = CategoryExempt
		c.VATEX = exemptionCode(code, text)
	}
	if c.Reason == "" && c.Code != CategoryZero {
		c.Reason = c.VATEX
	}
	return c
}

// article20 finds the number of art. 20.Uno's paragraph a reason cites
// ("art. 20.Uno.9", "artículo 20.1.9º").
var article20 = regexp.MustCompile(`(?:art\.?|articulo)\s*20\s*\.?\s*(?:uno|1)\s*\.?\s*(\d{1,2})`)

// exemptionCode is the VATEX code of an exemption reason, or "".
func exemptionCode(code, text string) string {
	if code == "E1" {
		return "VATEX-EU-132"
	}
	if m := article20.FindStringSubmatch(text); m != nil {
		n := 0
		for _, d := range m[1] {
			n = n*10 + int(d-'0')
		}
		if n >= 16 && n <= 27 {
			return "VATEX-EU-135"
		}
		if n >= 1 {
			return "VATEX-EU-132"
		}
	}
	if contains(text, "art. 20", "articulo 20") {
		return "VATEX-EU-132"
	}
	return ""
}

// fold lowers s and strips its accents, so that "Exportación" and
// "exportacion" read alike; a space is added at the end so that patterns
// may end in one.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if r >= 0x300 && r <= 0x36f {
			continue // combining accent
		}
		b.WriteRune(r)
	}
	b.WriteByte(' ')
	// "art.20" and "art. 20" cite the same article.
	return strings.Join(strings.Fields(strings.ReplaceAll(b.String(), "art.", "art. ")), " ") + " "
}

func contains(text string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}
