package staff_test

import (
	"testing"

	"facturo/hooks/staff"
)

// TestLinksUseThePublicURL: e-mailed links start with the settings' public
// URL; while it is unset (or PocketBase's default), with the address the
// server listens on, never localhost:8090 when it listens elsewhere.
func TestLinksUseThePublicURL(t *testing.T) {
	for _, c := range []struct {
		set, addr string
		https     bool
		want      string
		fallback  bool
	}{
		{"https://facturas.firma.example/", "127.0.0.1:8090", false, "https://facturas.firma.example", false},
		{"https://facturas.firma.example", "", false, "https://facturas.firma.example", false},
		{"http://localhost:8090", "facturas.firma.example:8092", false, "http://facturas.firma.example:8092", true},
		{"", "192.168.1.20:8080", false, "http://192.168.1.20:8080", true},
		{"http://localhost:8090", "0.0.0.0:8092", false, "http://localhost:8092", true},
		{"http://localhost:8090", ":8090", false, "http://localhost:8090", true},
		{"", "facturas.firma.example:443", true, "https://facturas.firma.example", true},
		{"", "[2001:db8::1]:8090", false, "http://[2001:db8::1]:8090", true},
	} {
		got, fallback := staff.LinkBase(c.set, c.addr, c.https)
		if got != c.want || fallback != c.fallback {
			t.Errorf("settings %q, listening on %q: links start %q (fallback %v), want %q (%v)", c.set, c.addr, got, fallback, c.want, c.fallback)
		}
	}
}
