package staff

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

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
// password.
func handleLogin(e *core.RequestEvent) error {
	p := newPage(e, nil, "app.signin.title")
	return site.PasswordSignIn(e, func(status int, key string) error {
		return render(e, status, "login.html", p, loginPage{page: p, Email: strings.TrimSpace(e.Request.PostFormValue("email")),
			Error: ui.T(p.Lang, key), Next: site.Next(e.Request.PostFormValue("next"))})
	})
}

func handleLogout(e *core.RequestEvent) error { return site.SignOutForm(e) }
