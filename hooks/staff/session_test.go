package staff_test

import (
	"net/http"
	"net/url"
	"testing"

	"facturo/internal/apptest"
)

// staffCookie is the value of the browser's workspace session cookie.
func staffCookie(t *testing.T, b *apptest.Browser, path string) string {
	t.Helper()
	u, _ := url.Parse(b.Base + path)
	for _, c := range b.Client.Jar.Cookies(u) {
		if c.Name == "facturo_staff_session" || c.Name == "facturo_session" {
			return c.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

// withStaffCookie is a new browser holding only the given workspace
// session cookie.
func withStaffCookie(t *testing.T, base, value string) *apptest.Browser {
	b := apptest.NewBrowser(t, base)
	u, _ := url.Parse(base + "/app/")
	b.Client.Jar.SetCookies(u, []*http.Cookie{{Name: "facturo_staff_session", Value: value, Path: "/app"}})
	return b
}

// TestStaffSignOutEndsTheSessionOnTheServer: after signing out of the
// workspace, a copy of the old cookie opens nothing, and its value is no
// token for REST; a portal session's cookie does not open the workspace,
// and a new password set in the admin dashboard ends the staff member's
// sessions.
func TestStaffSignOutEndsTheSessionOnTheServer(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	old := staffCookie(t, b, "/app/")
	if p := withStaffCookie(t, base, old).Get("/app/invoices"); p.Status != 200 {
		t.Fatalf("a copy of the cookie before signing out: %d", p.Status)
	}
	if p := b.Post("/app/logout", url.Values{"csrf": {b.CSRF("/app/")}}); p.Status != http.StatusSeeOther {
		t.Fatalf("sign-out: %d", p.Status)
	}
	if p := withStaffCookie(t, base, old).Get("/app/invoices"); p.Status != http.StatusSeeOther {
		t.Errorf("the old cookie after signing out: %d", p.Status)
	}
	if r := apptest.Call(t, "POST", base+"/api/collections/_superusers/auth-refresh", old, ""); r.Status != http.StatusUnauthorized {
		t.Errorf("the old cookie's value as a REST token: %d %s", r.Status, r.Body)
	}

	contact := apptest.NewBrowser(t, base)
	contact.SignIn("/portal/login", "ana@alfa.example", "contact-password-1", "/portal/")
	if p := withStaffCookie(t, base, staffCookie(t, contact, "/portal/")).Get("/app/"); p.Status != http.StatusSeeOther {
		t.Errorf("a portal session's cookie in the workspace: %d", p.Status)
	}

	b = signedIn(t, base)
	staff, err := app.FindAuthRecordByEmail("_superusers", apptest.StaffEmail)
	if err != nil {
		t.Fatal(err)
	}
	staff.SetPassword("a-new-staff-password-4")
	if err := app.Save(staff); err != nil {
		t.Fatal(err)
	}
	if p := b.Get("/app/"); p.Status != http.StatusSeeOther {
		t.Errorf("a session after a new password: %d", p.Status)
	}
}
