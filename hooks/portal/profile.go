package portal

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/web"
	"facturo/ui"
)

type profilePage struct {
	page
	Name, Error string
	Saved       bool
}

func bindProfile(se *core.ServeEvent) {
	se.Router.GET("/portal/profile", handleProfile)
	se.Router.POST("/portal/profile", handleProfileSave)
}

func handleProfile(e *core.RequestEvent) error {
	contact := requireContact(e)
	if contact == nil {
		return nil
	}
	p := newPage(e, contact, "portal.profile")
	return render(e, http.StatusOK, "profile.html", p.Lang, profilePage{page: p, Name: contact.GetString("name"), Saved: e.Request.URL.Query().Get("saved") == "1"})
}

// handleProfileSave changes the contact's name and language, and the
// password when the current one is given; a new password ends every
// session of the contact (web.EndSessionsOnKeyChange) and starts a fresh
// one here.
func handleProfileSave(e *core.RequestEvent) error {
	contact := requireContact(e)
	if contact == nil {
		return nil
	}
	if !site.ValidCSRF(e) {
		return web.StaleForm(e, newPage(e, contact, "").Lang)
	}
	name := strings.TrimSpace(e.Request.PostFormValue("name"))
	lang := ui.Pick(e.Request.PostFormValue("language"), contact.GetString("language"))
	fail := func(key string) error {
		p := newPage(e, contact, "portal.profile")
		return render(e, http.StatusBadRequest, "profile.html", p.Lang, profilePage{page: p, Name: name, Error: ui.T(p.Lang, key)})
	}
	password := e.Request.PostFormValue("password")
	if password != "" {
		if utf8.RuneCountInString(password) < 8 {
			return fail("portal.profile.short_password")
		}
		// Someone holding another's session must not get to guess the
		// password here either.
		guess, wait := web.BeginGuess(e.App, web.ClientIP(e), web.AccountKey(invoicing.Contacts, contact.Email()))
		if wait > 0 {
			web.SetRetryAfter(e, wait)
			return fail("portal.signin.too_many")
		}
		if !contact.ValidatePassword(e.Request.PostFormValue("current")) {
			return fail("portal.profile.bad_password")
		}
		guess.Succeeded()
		contact.SetPassword(password)
	}
	if utf8.RuneCountInString(name) > 200 {
		name = string([]rune(name)[:200])
	}
	contact.Set("name", name)
	contact.Set("language", lang)
	if err := e.App.Save(contact); err != nil {
		return err
	}
	if password != "" {
		if err := site.SignIn(e, contact); err != nil {
			return err
		}
	}
	return e.Redirect(http.StatusSeeOther, "/portal/profile?saved=1")
}
