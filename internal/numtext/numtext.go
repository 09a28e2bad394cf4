// Package numtext reads the numbers people and ERPs write (amounts,
// quantities, rates) in the English form (1234.56) or the Spanish ones
// (1234,56 and 1.234,56), giving a plain decimal ("1234.56"). It is the
// one rule for every number the product is given as text: the import's
// files, the workspace's editor, product and payment forms, and the
// amount filters of the lists and their exports.
//
// The rule (Read):
//
//   - an optional leading "-", then digits; nothing else (no spaces, "+",
//     currency or percent signs, exponents);
//   - at most one decimal separator, "." or ",", with digits on both sides;
//   - "." may also group thousands, in groups of exactly three digits, when
//     the decimal separator is "," (1.234,56) or when there are two or more
//     dots (1.234.567); "," never groups thousands, so 1,234.56 is refused;
//   - ambiguous, so refused: a single "." or "," with exactly three digits
//     after it and one to three digits before it, the first not 0 (1.234,
//     12,500): it could be a decimal or a thousands group. Write 1234,
//     1.234,00 or 1,2340 instead.
//
// What a person types on a page (Typed) is read by the same rule, with a
// trailing "%" or "€" allowed, in the page's language. In Spanish, and in
// a file, whose writer's language is unknown, the ambiguous forms stay
// refused: "1.000" is never guessed. In English a point is always the
// decimal point and a comma groups thousands, as English speakers write
// them: "1.000" is one, "1,000.00" a thousand; the Spanish forms the rule
// reads without doubt ("1.000,00", "12,5") still read.
package numtext

import (
	"errors"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"

	"facturo/ui"
)

// notANumber is what a text no rule reads gets.
var notANumber = ui.Errorf("number.err.number", nil)

// Read reads a number written in a file (by an ERP or a person of either
// language) by the package's rule, and returns it as a plain decimal
// ("1234.56"). Its error names a key of the catalogue.
func Read(s string) (string, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	body := strings.TrimPrefix(s, "-")
	if body == "" || strings.Trim(body, "0123456789.,") != "" {
		return "", notANumber
	}
	dots, commas := strings.Count(body, "."), strings.Count(body, ",")
	var intPart, frac string
	switch {
	case dots == 0 && commas == 0:
		intPart = body
	case commas > 1:
		return "", ui.Errorf("number.err.commas", nil)
	case commas == 1 && dots > 0:
		if strings.LastIndex(body, ".") > strings.Index(body, ",") {
			return "", ui.Errorf("number.err.comma_groups", nil)
		}
		grouped, rest, _ := strings.Cut(body, ",")
		var ok bool
		if intPart, ok = ungroup(grouped); !ok {
			return "", ui.Errorf("number.err.groups", nil)
		}
		if rest == "" {
			return "", ui.Errorf("number.err.after_comma", nil)
		}
		frac = rest
	case dots > 1:
		var ok bool
		if intPart, ok = ungroup(body); !ok {
			return "", ui.Errorf("number.err.dots", nil)
		}
	default: // one separator, "." or ","
		sep := "."
		if commas == 1 {
			sep = ","
		}
		intPart, frac, _ = strings.Cut(body, sep)
		if intPart == "" || frac == "" {
			return "", ui.Errorf("number.err.sides", ui.Args{"sep": sep})
		}
		if len(frac) == 3 && len(intPart) <= 3 && intPart[0] != '0' {
			return "", ui.Errorf(ambiguousKey, ui.Args{"number": body})
		}
	}
	if frac != "" && strings.Trim(frac, "0123456789") != "" {
		return "", notANumber
	}
	out := intPart
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out, nil
}

const ambiguousKey = "number.err.ambiguous"

// Ambiguous tells whether err is Read's refusal of a number that could be
// a decimal or a thousands group (1.234, 12,500), which a form explains
// in its own words.
func Ambiguous(err error) bool {
	var problem *ui.Error
	return errors.As(err, &problem) && problem.Key == ambiguousKey
}

// ungroup removes thousands dots from s, requiring groups of three digits
// after a first group of one to three.
func ungroup(s string) (string, bool) {
	groups := strings.Split(s, ".")
	if len(groups[0]) < 1 || len(groups[0]) > 3 {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

// Numbers as English speakers write them, which Read leaves ambiguous or
// refuses.
var (
	englishGrouped = regexp.MustCompile(`^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$`)
	pointDecimal   = regexp.MustCompile(`^-?[0-9]+\.[0-9]+$`)
)

// Typed reads a number a person typed on a page in lang: by Read's rule,
// with a trailing "%" or "€" allowed, except that in English a point is
// always the decimal point and a comma groups thousands (1.333, 1,250.00).
func Typed(lang, typed string) (string, error) {
	s := strings.TrimSpace(typed)
	s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	s = strings.TrimSpace(strings.TrimSuffix(s, "€"))
	if !ui.DecimalComma(lang) {
		switch {
		case englishGrouped.MatchString(s):
			return strings.ReplaceAll(s, ",", ""), nil
		case pointDecimal.MatchString(s):
			return s, nil
		}
	}
	return Read(s)
}

// TypedDecimal is Typed's number as a decimal.
func TypedDecimal(lang, typed string) (decimal.Decimal, error) {
	s, err := Typed(lang, typed)
	if err != nil {
		return decimal.Decimal{}, err
	}
	return decimal.NewFromString(s)
}
