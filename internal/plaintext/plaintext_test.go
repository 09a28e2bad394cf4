package plaintext

import "testing"

func TestProblem(t *testing.T) {
	for _, tc := range []struct {
		in        string
		multiline bool
		bad       bool
	}{
		{"Ferretería López, S.L.", false, false},
		{"Çağrı 株式会社 🧾", false, false},
		{"Calle Mayor 1, 3º-2ª", false, false},
		{"a\x00b", false, true},
		{"a\x00b", true, true},
		{"name\r\nBcc: x@example.com", false, true},
		{"first line\r\nsecond line\tend", true, false},
		{"ES91 2100 \u202e0418 4502", false, true},
		{"\u2066hidden\u2069", true, true},
		{"\u200fRTL mark", false, true},
		{"bell\x07", true, true},
		{"del\x7f", false, true},
		{"c1\u0085", true, true},
		{"\xff\xfe", false, true},
		{"line\u2028sep", false, true},
		{"line\u2028sep", true, false},
		{"\ufeffBOM", false, true},
	} {
		if got := Problem(tc.in, tc.multiline) != ""; got != tc.bad {
			t.Errorf("Problem(%q, multiline %v) = %q", tc.in, tc.multiline, Problem(tc.in, tc.multiline))
		}
	}
}
