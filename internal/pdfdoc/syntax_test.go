package pdfdoc

import "testing"

func TestAppendFixed(t *testing.T) {
	for _, tc := range []struct {
		v        float64
		decimals int
		want     string
	}{
		{0, 2, "0"},
		{12, 2, "12"},
		{12.5, 2, "12.5"},
		{12.345, 2, "12.35"},
		{-0.004, 2, "0"},
		{-3.25, 2, "-3.25"},
		{0.05, 2, "0.05"},
		{2.21234, 4, "2.2123"},
		{0.129, 3, "0.129"},
		{841.8897637795275, 2, "841.89"},
	} {
		if got := string(appendFixed(nil, tc.v, tc.decimals)); got != tc.want {
			t.Errorf("appendFixed(%v, %d) = %q, want %q", tc.v, tc.decimals, got, tc.want)
		}
	}
}

func TestAppendName(t *testing.T) {
	if got := string(appendName(nil, "ABCDEF+Go Mono#1/(x)")); got != "ABCDEF+Go#20Mono#231#2F#28x#29" {
		t.Errorf("got %q", got)
	}
}

func TestAppendText(t *testing.T) {
	for in, want := range map[string]string{
		"Factura 1":   "(Factura 1)",
		`a (b) \c`:    `(a \(b\) \\c)`,
		"Puçol":       "<FEFF0050007500E7006F006C>",
		"🎉":           "<FEFFD83CDF89>",
		"line\nbreak": "<FEFF006C0069006E0065000A0062007200650061006B>",
	} {
		if got := string(appendText(nil, in)); got != want {
			t.Errorf("appendText(%q) = %s, want %s", in, got, want)
		}
	}
}
