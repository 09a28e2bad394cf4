package portal_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"facturo/internal/apptest"
	"facturo/ui"
)

// TestThePortalSpeaksSpanish: every page of the portal, signed out and in,
// and what each of its forms says when it refuses, is in Spanish for a
// Spanish contact: no catalogue key shows as such, and no English sentence
// the product is known to say (the English catalogue's, the REST API's).
func TestThePortalSpeaksSpanish(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	check := func(what string, p apptest.Page) {
		t.Helper()
		if !strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
			return
		}
		for _, problem := range apptest.NotSpanish(p.Body) {
			t.Errorf("%s (%d): %s", what, p.Status, problem)
		}
	}
	guest := newBrowser(t, base) // no Accept-Language: the portal's default, Spanish
	for _, path := range []string{"/portal/login", "/portal/code", "/portal/forgot", "/portal/password?token=nonsense"} {
		check(path, guest.Get(path))
	}
	token := guest.CSRF("/portal/login")
	for _, f := range []struct {
		path string
		form url.Values
	}{
		{"/portal/login", url.Values{"email": {"ana@alfa.example"}, "password": {"mal"}}},
		{"/portal/code", url.Values{"email": {"no es una dirección"}}},
		{"/portal/code/verify", url.Values{"email": {"ana@alfa.example"}, "code": {"000000"}}},
		{"/portal/forgot", url.Values{"email": {"no es una dirección"}}},
	} {
		f.form.Set("csrf", token)
		check("a guest posting to "+f.path, guest.Post(f.path, f.form))
	}

	b := newBrowser(t, base)
	b.signIn("ana@alfa.example")
	invoice := "/portal/invoices/" + apptest.IssuedA
	for _, path := range []string{"/portal/", "/portal/invoices", "/portal/invoices?state=overdue", invoice,
		"/portal/invoices/nonexistent00", "/portal/quotes", "/portal/profile"} {
		check(path, b.Get(path))
	}
	token = b.CSRF("/portal/")
	for _, f := range []struct {
		path string
		form url.Values
	}{
		{invoice + "/respond", url.Values{"action": {"reject"}}},
		{invoice + "/respond", url.Values{"action": {"query"}}},
		{invoice + "/respond", url.Values{"action": {"dance"}}},
		{invoice + "/respond", url.Values{"action": {"reject"}, "reason": {"PRI"}, "correction": {"XXX"}}},
		{invoice + "/respond", url.Values{"action": {"query"}, "note": {strings.Repeat("¿", 5000)}}},
		{"/portal/profile", url.Values{"name": {strings.Repeat("x", 500)}, "language": {"fr"}}},
		{"/portal/profile", url.Values{"password": {"corta"}, "password_confirm": {"otra"}}},
	} {
		f.form.Set("csrf", token)
		check("posting to "+f.path, b.Post(f.path, f.form))
	}
	// A form without this browser's token (a tab left open from an earlier
	// session) is refused in the reader's language too.
	stale := ui.T("es", "form.stale")
	for _, f := range []struct {
		who  browser
		path string
	}{{guest, "/portal/code"}, {guest, "/portal/code/verify"}, {guest, "/portal/forgot"}, {guest, "/portal/password?token=x"},
		{b, invoice + "/respond"}, {b, "/portal/profile"}, {b, "/portal/logout"}} {
		if p := f.who.Post(f.path, url.Values{"email": {"ana@alfa.example"}}); p.Status != http.StatusForbidden || strings.TrimSpace(p.Body) != stale {
			t.Errorf("a stale form posted to %s: %d %q", f.path, p.Status, p.Body)
		}
	}
}
