package portal_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"facturo/internal/apptest"
)

// sessionCookie is the value of the browser's portal session cookie.
func sessionCookie(t *testing.T, b browser) string {
	t.Helper()
	for _, c := range b.Client.Jar.Cookies(mustURL(t, b.Base+"/portal/")) {
		if c.Name == "facturo_session" {
			return c.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

// withCookie is a new browser holding only the given session cookie.
func withCookie(t *testing.T, base, value string) browser {
	b := newBrowser(t, base)
	b.Client.Jar.SetCookies(mustURL(t, base+"/portal/"), []*http.Cookie{{Name: "facturo_session", Value: value, Path: "/portal"}})
	return b
}

// TestSignOutEndsTheSessionOnTheServer: after signing out, a copy of the
// old cookie opens nothing, and its value is no token for REST either.
func TestSignOutEndsTheSessionOnTheServer(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := newBrowser(t, base)
	b.signIn("ana@alfa.example")
	old := sessionCookie(t, b)
	if p := withCookie(t, base, old).Get("/portal/invoices"); p.Status != 200 {
		t.Fatalf("a copy of the cookie before signing out: %d", p.Status)
	}
	if p := b.Post("/portal/logout", url.Values{"csrf": {b.CSRF("/portal/")}}); p.Status != http.StatusSeeOther {
		t.Fatalf("sign-out: %d", p.Status)
	}
	if p := withCookie(t, base, old).Get("/portal/invoices"); p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/portal/login" {
		t.Errorf("the old cookie after signing out: %d %s", p.Status, p.Header.Get("Location"))
	}
	if r := apptest.Call(t, "POST", base+"/api/collections/contacts/auth-refresh", old, ""); r.Status != http.StatusUnauthorized {
		t.Errorf("the old cookie's value as a REST token: %d %s", r.Status, r.Body)
	}
	if n, _ := app.CountRecords("web_sessions"); n != 0 {
		t.Errorf("%d sessions left after signing out", n)
	}
}

// TestPasswordChangeEndsOtherSessions: a new password, chosen on the
// profile page, ends the contact's sessions in other browsers and keeps
// this one; one set through the REST API (by staff) ends them all.
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	here, there := newBrowser(t, base), newBrowser(t, base)
	here.signIn("ana@alfa.example")
	there.signIn("ana@alfa.example")
	bob := newBrowser(t, base)
	bob.signIn("bob@beta.example")

	p := here.Post("/portal/profile", url.Values{"csrf": {here.CSRF("/portal/profile")}, "name": {"Ana"}, "language": {"es"},
		"password": {"new-password-2"}, "current": {"contact-password-1"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("changing the password: %d", p.Status)
	}
	if p := there.Get("/portal/"); p.Status != http.StatusSeeOther {
		t.Errorf("the other browser after the password change: %d", p.Status)
	}
	if p := here.Get("/portal/"); p.Status != 200 {
		t.Errorf("this browser after the password change: %d", p.Status)
	}
	if p := bob.Get("/portal/"); p.Status != 200 {
		t.Errorf("another contact's session after Ana's password change: %d", p.Status)
	}

	body := `{"password":"set-by-staff-3","passwordConfirm":"set-by-staff-3"}`
	if r := apptest.Call(t, "PATCH", base+"/api/collections/contacts/records/"+apptest.ContactA, apptest.Tokens.Staff, body); r.Status != 200 {
		t.Fatalf("staff setting the password: %d %s", r.Status, r.Body)
	}
	if p := here.Get("/portal/"); p.Status != http.StatusSeeOther {
		t.Errorf("a session after staff set a new password: %d", p.Status)
	}
}

// TestCodeDiesAfterFiveWrongTries: the fifth wrong code ends the emailed
// code, and the page says to ask for a new one; the right code then no
// longer signs in. A made-up code of an unknown address goes the same way.
func TestCodeDiesAfterFiveWrongTries(t *testing.T) {
	tryFive := func(b browser) apptest.Page {
		token := b.CSRF("/portal/code")
		var last apptest.Page
		for i := range 5 {
			last = b.Post("/portal/code/verify", url.Values{"csrf": {token}, "code": {"00000000"}})
			if i < 4 && (last.Status != 401 || !strings.Contains(last.Body, "no es correcto")) {
				t.Fatalf("wrong code %d: %d", i+1, last.Status)
			}
		}
		return last
	}

	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := newBrowser(t, base)
	b.Post("/portal/code", url.Values{"csrf": {b.CSRF("/portal/code")}, "email": {"ana@alfa.example"}})
	waitForMail(t, app, 1)
	code := regexp.MustCompile(`<strong>(\d+)</strong>`).FindStringSubmatch(apptest.LastMail(t, app).HTML)[1]
	jar := b.Client.Jar.Cookies(mustURL(t, base+"/portal/"))
	fifth := tryFive(b)
	if fifth.Status != 401 || !strings.Contains(fifth.Body, "Pida uno nuevo") || !strings.Contains(fifth.Body, `action="/portal/code"`) {
		t.Errorf("the fifth wrong code: %d, without asking for a new one", fifth.Status)
	}
	// The right code, with the cookie as it was before the tries.
	replay := newBrowser(t, base)
	replay.Client.Jar.SetCookies(mustURL(t, base+"/portal/"), jar)
	if p := replay.Post("/portal/code/verify", url.Values{"csrf": {replay.CSRF("/portal/code")}, "code": {code}}); p.Status == http.StatusSeeOther {
		t.Errorf("the right code after five wrong ones signed in")
	}
	if p := replay.Get("/portal/invoices"); p.Status == 200 {
		t.Error("signed in with a dead code")
	}

	// Another app: the first one's address has used most of its allowance.
	base = apptest.Serve(t, apptest.New(t))
	stranger := newBrowser(t, base)
	stranger.Post("/portal/code", url.Values{"csrf": {stranger.CSRF("/portal/code")}, "email": {"nobody@alfa.example"}})
	if p := tryFive(stranger); p.Status != fifth.Status || !strings.Contains(p.Body, "Pida uno nuevo") {
		t.Errorf("an unknown address's fifth wrong code reads otherwise: %d", p.Status)
	}
}
