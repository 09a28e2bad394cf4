package imports

import (
	"testing"
	"time"
)

func TestDateValue(t *testing.T) {
	want := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		cell     cell
		date1904 bool
	}{
		{cell{text: "2026-01-15"}, false},
		{cell{text: " 2026-01-15 "}, false},
		{cell{text: "2026-01-15T00:00:00Z"}, false}, // an XLSX date-time cell
		{cell{text: "46037", number: true}, false},  // the spreadsheet's day number
		{cell{text: "44575", number: true}, true},   // the same day counted from 1904
	} {
		got, err := dateValue(c.cell, c.date1904)
		if err != nil || !got.Equal(want) {
			t.Errorf("dateValue(%+v, %v) = %v, %v", c.cell, c.date1904, got, err)
		}
	}
	for _, c := range []cell{
		{text: "15/01/2026"}, {text: "2026-1-15"}, {text: "2026-02-30"}, {text: "mañana"},
		{text: "46037.5", number: true}, {text: "0", number: true},
	} {
		if got, err := dateValue(c, false); err == nil {
			t.Errorf("dateValue(%+v) = %v; want an error", c, got)
		}
	}
}

func TestPlainDecimal(t *testing.T) {
	for in, want := range map[string]string{
		"1250":                "1250",
		"12.5":                "12.5",
		"1.5E-3":              "0.0015",
		"0.30000000000000004": "0.3", // what the spreadsheet shows
		"1.234":               "1.234",
		"-7":                  "-7",
	} {
		if got, ok := plainDecimal(in); !ok || got != want {
			t.Errorf("plainDecimal(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := plainDecimal("#DIV/0!"); ok {
		t.Error("an error cell was read as a number")
	}
}

func TestSniffDelimiter(t *testing.T) {
	for head, want := range map[string]rune{
		"a,b,c\n1;2":            ',',
		"a;b;c\n1,2,3,4,5":      ';',
		`"a;b",c,d` + "\n":      ',',
		`"x,y,z";b;c` + "\n":    ';',
		"external_id":           ',',
		"external_id;vat\r\n1,": ';',
	} {
		if got := sniffDelimiter([]byte(head)); got != want {
			t.Errorf("sniffDelimiter(%q) = %q, want %q", head, got, want)
		}
	}
}

func TestCheckEmail(t *testing.T) {
	for _, ok := range []string{"ana@example.com", "facturas+erp@ejemplo-comercial.es"} {
		if err := checkEmail(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"ana", "ana@", "Ana <ana@example.com>", "ana@example.com, bob@example.com", "ana @example.com"} {
		if checkEmail(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestDetectFormat(t *testing.T) {
	for _, c := range []struct {
		name string
		head string
		want Format
	}{
		{"a.csv", "external_id,", CSV},
		{"a.CSV", "external_id;", CSV},
		{"a.xlsx", "PK\x03\x04", XLSX},
		{"a.csv", "PK\x03\x04", XLSX}, // the content wins
		{"export", "PK\x03\x04", XLSX},
		{"export", "external_id", CSV},
	} {
		if got, err := DetectFormat(c.name, []byte(c.head)); err != nil || got != c.want {
			t.Errorf("DetectFormat(%q, %q) = %q, %v", c.name, c.head, got, err)
		}
	}
	for _, c := range []struct{ name, head string }{
		{"a.xls", "\xD0\xCF\x11\xE0"}, {"a.xlsx", "external_id"}, {"a.pdf", "%PDF"},
	} {
		if _, err := DetectFormat(c.name, []byte(c.head)); err == nil {
			t.Errorf("DetectFormat(%q) accepted", c.name)
		}
	}
}
