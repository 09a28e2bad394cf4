package numtext

import (
	"strings"
	"testing"

	"facturo/ui"
)

// refused is what a row wants when the text does not read.
const refused = "refused"

// TestRead: the file rule reads both languages' unambiguous forms and
// refuses what could be read two ways, or not at all.
func TestRead(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"1234.56", "1234.56"},
		{"1234,56", "1234.56"},
		{"1.234,56", "1234.56"},
		{"1.000,00", "1000.00"},
		{"1.234.567,8", "1234567.8"},
		{"1.234.567", "1234567"},
		{" 21 ", "21"},
		{"-3", "-3"},
		{"-1.234,5", "-1234.5"},
		{"0.125", "0.125"}, // a thousands group never starts with 0
		{"0,125", "0.125"},
		{"1234.567", "1234.567"}, // four digits before: not a thousands group
		{"12.5", "12.5"},
		{"5,2", "5.2"},
		{"1,2340", "1.2340"},
		{"1.234,00", "1234.00"},
		{"000123", "000123"},
		{"100.000.000,01", "100000000.01"},
		{"1.234", refused},     // 1234 or 1.234?
		{"1.000", refused},     // a thousand or one?
		{"1,234", refused},     // 1.234 or 1234?
		{"12,500", refused},    // 12.5 or 12500?
		{"1,234.56", refused},  // "," never groups thousands
		{"1,000.00", refused},  // nor here
		{"1,234,567", refused}, // nor here
		{"1.23,4", refused},    // groups of three
		{"12.34.56", refused},  // groups of three
		{"1.234,", refused},    // digits after the decimal comma
		{".5", refused}, {"5.", refused}, {",5", refused},
		{"1e3", refused}, {"+5", refused}, {"5 %", refused}, {"5%", refused}, {"€5", refused}, {"5€", refused},
		{"1 234,56", refused}, {"", refused}, {"-", refused}, {"abc", refused}, {"1..2", refused}, {"1,2,3", refused},
		{"NaN", refused}, {"Inf", refused},
	} {
		got, err := Read(c.in)
		check(t, "Read", c.in, c.want, got, err)
	}
}

// TestTyped: what a person types reads by the file rule in Spanish, and
// the English way on an English page; a trailing % or € is allowed.
func TestTyped(t *testing.T) {
	for _, c := range []struct{ in, es, en string }{
		{"1.000,00", "1000.00", "1000.00"},
		{"1000,5", "1000.5", "1000.5"},
		{"1234.56", "1234.56", "1234.56"},
		{"1.234.567", "1234567", "1234567"},
		{"1.000", refused, "1.000"}, // a thousand or one: one, in English
		{"1.333", refused, "1.333"},
		{"12,500", refused, "12500"},
		{"1,000.00", refused, "1000.00"},
		{"1,250", refused, "1250"},
		{"-1,234,567.5", refused, "-1234567.5"},
		{"21 %", "21", "21"},
		{"5,2%", "5.2", "5.2"},
		{"1.250,00 €", "1250.00", "1250.00"},
		{"1,250.00€", refused, "1250.00"},
		{" 7 ", "7", "7"},
		{"1,2,3", refused, refused},
		{"1,23,456", refused, refused},
		{"€5", refused, refused},
		{"", refused, refused},
		{"abc", refused, refused},
	} {
		got, err := Typed("es", c.in)
		check(t, "Typed es", c.in, c.es, got, err)
		got, err = Typed("en", c.in)
		check(t, "Typed en", c.in, c.en, got, err)
	}
	if d, err := TypedDecimal("es", "1.000,50 €"); err != nil || d.String() != "1000.5" {
		t.Errorf("TypedDecimal(es, 1.000,50 €) = %v, %v", d, err)
	}
}

// TestRefusalsReadInBothLanguages: every refusal names a catalogue key the
// reader's language has, and the ambiguous one is told apart.
func TestRefusalsReadInBothLanguages(t *testing.T) {
	for _, in := range []string{"x", "1,2,3", "1.2,3", "1.23,4", "1,", "1.234,", "12.34.56", "1.234"} {
		_, err := Read(in)
		for _, lang := range ui.Languages {
			text, ok := ui.Translated(lang, err)
			if !ok || strings.Contains(text, "number.err") || strings.Contains(text, "{") {
				t.Errorf("Read(%q) in %s: %q", in, lang, text)
			}
		}
		if Ambiguous(err) != (in == "1.234") {
			t.Errorf("Ambiguous(Read(%q)) = %v", in, Ambiguous(err))
		}
	}
}

func check(t *testing.T, what, in, want, got string, err error) {
	t.Helper()
	switch {
	case want == refused && err == nil:
		t.Errorf("%s(%q) = %q; want it refused", what, in, got)
	case want != refused && (err != nil || got != want):
		t.Errorf("%s(%q) = %q, %v; want %q", what, in, got, err, want)
	}
}
