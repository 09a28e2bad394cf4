// Package taxid checks tax identifiers as people type them: Spanish NIFs,
// NIEs and CIFs, the VAT numbers of the other EU member states (and of
// Northern Ireland), and, for the rest of the world where no rule can be
// checked, a plausible shape.
//
// It checks the format and, where the tax office publishes one, the check
// digit; it cannot tell whether a number was ever issued (that is what VIES
// and the AEAT's census are for). It is pure Go: no PocketBase, no I/O.
package taxid

import (
	"fmt"
	"strings"
	"unicode"
)

// Error says what is wrong with a tax id, in a sentence fit to show next to
// the field it was typed in.
type Error struct {
	ID      string // the id checked, normalised
	Message string // in English

	// Key is the problem's key in the product's message catalogue (ui/i18n)
	// and Args the values of its placeholders, from which the screens
	// write it in the reader's language.
	Key  string
	Args map[string]any
}

func (e *Error) Error() string { return e.Message }

// Code and Params let the problem keep its key through PocketBase's errors.
func (e *Error) Code() string { return e.Key }

func (e *Error) Params() map[string]any { return e.Args }

// keyed is the problem of id under key, with the English text of format.
func keyed(id, key string, args map[string]any, format string, fargs ...any) *Error {
	return &Error{ID: id, Message: fmt.Sprintf(format, fargs...), Key: key, Args: args}
}

// Normalize is the form tax ids are checked and stored in: upper case,
// without the spaces, dots, hyphens and slashes people write them with.
func Normalize(id string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '.' || r == '-' || r == '/' {
			return -1
		}
		return unicode.ToUpper(r)
	}, id)
}

// Validate checks id as the tax id of a customer in country (ISO 3166-1
// alpha-2; "ES" when empty). The id may carry a VAT country prefix or not;
// a prefix naming another EU member state than country is checked by that
// state's rules, so a French customer may give its Belgian VAT number. The
// error, when there is one, is an *Error.
func Validate(id, country string) error {
	n := Normalize(id)
	if n == "" {
		return keyed(n, "taxid.err.empty", nil, "the tax id is empty")
	}
	c, err := vatCountry(country)
	if err != nil {
		err.ID = n
		return err
	}
	if len(n) >= 2 {
		if p, ok := prefixes[n[:2]]; ok {
			body := n[2:]
			switch {
			case p == c:
				// A national form may look like a prefix (a French key can be
				// "FR"), so the whole id gets a second chance.
				err := national(c, body, n)
				if err != nil && national(c, n, n) == nil {
					return nil
				}
				return err
			case isEU(c) || looksLikeVAT(p, body):
				err := national(p, body, n)
				if err != nil && isEU(c) && national(c, n, n) == nil {
					return nil
				}
				return err
			}
		}
	}
	return national(c, n, n)
}

// SpanishNIF returns the bare Spanish NIF, NIE or CIF in id (normalised,
// without the ES of its VAT form), which is what the AEAT's records carry,
// or an *Error saying what is wrong with it.
func SpanishNIF(id string) (string, error) {
	n := Normalize(id)
	if n == "" {
		return "", keyed(n, "taxid.err.empty", nil, "the tax id is empty")
	}
	body := strings.TrimPrefix(n, "ES")
	if err := spanish(body, n); err != nil {
		return "", err
	}
	return body, nil
}

// vatCountry is the code whose rules apply to a customer of country: its
// ISO code, except Greece, whose VAT numbers carry EL.
func vatCountry(country string) (string, *Error) {
	c := strings.ToUpper(strings.TrimSpace(country))
	switch {
	case c == "":
		return "ES", nil
	case len(c) != 2 || !isLetter(c[0]) || !isLetter(c[1]):
		return "", keyed("", "taxid.err.country", map[string]any{"country": country}, "the country %q is not a two-letter ISO 3166-1 code", country)
	case c == "GR":
		return "EL", nil
	}
	return c, nil
}

// prefixes maps the VAT prefixes an id may start with to the rules they
// name; Greek numbers are often written with GR, the country's ISO code.
var prefixes = func() map[string]string {
	m := map[string]string{"ES": "ES", "GR": "EL"}
	for code := range vatRules {
		m[code] = code
	}
	return m
}()

func isEU(country string) bool {
	_, ok := vatRules[country]
	return ok || country == "ES"
}

// looksLikeVAT tells, for a customer outside the EU, whether an id that
// starts with an EU prefix is meant as that state's VAT number, rather than
// a local id that happens to begin with those two letters (a Mexican RFC
// such as ATE850101AB1 begins with AT). VAT numbers go on with a digit, or
// with the letters of their own format.
func looksLikeVAT(country, body string) bool {
	if body != "" && isDigit(body[0]) {
		return true
	}
	rule, ok := vatRules[country]
	return ok && rule.format(body)
}

// national checks body by the rules of country; shown is the id as the
// messages name it.
func national(country, body, shown string) error {
	if country == "ES" {
		return spanish(body, shown)
	}
	if rule, ok := vatRules[country]; ok {
		return rule.validate(country, body, shown)
	}
	return foreign(shown)
}

// foreign checks an id from outside the EU, where there is no rule to check
// beyond a plausible shape.
func foreign(id string) error {
	if len(id) < 2 || len(id) > 20 || !allAlnum(id) {
		return keyed(id, "taxid.err.foreign", map[string]any{"id": id}, "%s: a tax id is 2 to 20 letters and digits", id)
	}
	return nil
}

func isDigit(b byte) bool  { return '0' <= b && b <= '9' }
func isLetter(b byte) bool { return 'A' <= b && b <= 'Z' || 'a' <= b && b <= 'z' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func allLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isLetter(s[i]) {
			return false
		}
	}
	return true
}

func allAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && !isLetter(s[i]) {
			return false
		}
	}
	return true
}
