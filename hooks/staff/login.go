package staff

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/web"
	"facturo/ui"
)

type loginPage struct {
	page
	Email, Error, Next string
}

func handleLoginPage(e *core.RequestEvent) error {
	if site.SignedIn(e) != nil {
		return e.Redirect(http.StatusSeeOther, site.Next(e.Request.URL.Query().Get("next")))
	}
	p := newPage(e, nil, "app.signin.title")
	return render(e, http.StatusOK, "login.html", p, loginPage{page: p, Next: site.Next(e.Request.URL.Query().Get("next"))})
}

// handleLogin signs a staff member in with their superuser email and
// password. A failure says the same and takes as long whether or not the
// address exists; attempts are limited per address of origin.
func handleLogin(e *core.RequestEvent) error {
	p := newPage(e, nil, "app.signin.title")
	email := strings.TrimSpace(e.Request.PostFormValue("email"))
	fail := func(status int, key string) error {
		return render(e, status, "login.html", p, loginPage{page: p, Email: email, Error: ui.T(p.Lang, key), Next: site.Next(e.Request.PostFormValue("next"))})
	}
	if !site.ValidCSRF(e) {
		return fail(http.StatusForbidden, "portal.signin.failed")
	}
	if !web.AllowSignIn(e.App, e.RealIP()) {
		return fail(http.StatusTooManyRequests, "portal.signin.too_many")
	}
	staff, err := e.App.FindAuthRecordByEmail(core.CollectionNameSuperusers, email)
	if err != nil {
		web.SpendPasswordTime(e.Request.PostFormValue("password"))
		return fail(http.StatusUnauthorized, "portal.signin.failed")
	}
	if !staff.ValidatePassword(e.Request.PostFormValue("password")) {
		return fail(http.StatusUnauthorized, "portal.signin.failed")
	}
	if err := site.SignIn(e, staff); err != nil {
		return err
	}
	return e.Redirect(http.StatusSeeOther, site.Next(e.Request.PostFormValue("next")))
}

func handleLogout(e *core.RequestEvent) error {
	if e.Request.ParseForm(); !site.ValidCSRF(e) {
		return e.String(http.StatusForbidden, "Forbidden")
	}
	site.SignOut(e)
	return e.Redirect(http.StatusSeeOther, "/app/login")
}
