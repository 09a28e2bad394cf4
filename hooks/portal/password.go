package portal

import (
	"net/http"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
	"facturo/internal/web"
	"facturo/ui"
)

// PasswordPath is the portal's page where a contact chooses a password,
// from the link of an invitation or of a forgotten-password email
// (?token= a PocketBase password-reset token).
const PasswordPath = mail.PortalPasswordPath

type passwordPage struct {
	page
	Token, Email, Error string
	Invalid             bool
}

// resetContact is the contact a password-reset token was made for, or nil
// when it is not valid (expired, used: choosing a password changes the
// contact's token key, which ends every token made before).
func resetContact(e *core.RequestEvent, token string) *core.Record {
	contact, err := e.App.FindAuthRecordByToken(token, core.TokenTypePasswordReset)
	if err != nil || contact.Collection().Name != invoicing.Contacts {
		return nil
	}
	return contact
}

// passwordPageFrame is the page around the form: in the contact's
// language, but not signed in yet.
func passwordPageFrame(e *core.RequestEvent, contact *core.Record) page {
	p := newPage(e, nil, "portal.password.title")
	if contact != nil && ui.Speaks(contact.GetString("language")) {
		p.Lang = ui.Pick(contact.GetString("language"))
		p.Title = ui.T(p.Lang, "portal.password.title")
		p.Languages = nil // the contact's own language
	}
	return p
}

func handlePasswordPage(e *core.RequestEvent) error {
	token := e.Request.URL.Query().Get("token")
	contact := resetContact(e, token)
	p := passwordPageFrame(e, contact)
	pp := passwordPage{page: p, Token: token, Invalid: contact == nil}
	status := http.StatusOK
	if contact == nil {
		status = http.StatusBadRequest
	} else {
		pp.Email = contact.Email()
	}
	return render(e, status, "password.html", p.Lang, pp)
}

// handlePasswordSave sets the contact's password and signs them in: the
// link reached their mailbox, which proves the address too. The new
// password ends every other session of the contact.
func handlePasswordSave(e *core.RequestEvent) error {
	token := e.Request.PostFormValue("token")
	contact := resetContact(e, token)
	p := passwordPageFrame(e, contact)
	fail := func(status int, key string) error {
		pp := passwordPage{page: p, Token: token, Invalid: contact == nil, Error: ui.T(p.Lang, key)}
		if contact != nil {
			pp.Email = contact.Email()
		}
		return render(e, status, "password.html", p.Lang, pp)
	}
	if !site.ValidCSRF(e) {
		return web.StaleForm(e, p.Lang)
	}
	// The token is the secret here: a token that does not open counts as
	// a wrong guess.
	guess, wait := web.BeginGuess(e.App, web.ClientIP(e), "")
	if wait > 0 {
		web.SetRetryAfter(e, wait)
		return fail(http.StatusTooManyRequests, "portal.signin.too_many")
	}
	if contact == nil {
		return fail(http.StatusBadRequest, "portal.password.invalid")
	}
	guess.Succeeded()
	password := e.Request.PostFormValue("password")
	if utf8.RuneCountInString(password) < 8 {
		return fail(http.StatusBadRequest, "portal.profile.short_password")
	}
	if password != e.Request.PostFormValue("confirm") {
		return fail(http.StatusBadRequest, "portal.password.mismatch")
	}
	contact.SetPassword(password)
	contact.SetVerified(true)
	if err := e.App.Save(contact); err != nil {
		return err
	}
	if err := site.SignIn(e, contact); err != nil {
		return err
	}
	return e.Redirect(http.StatusSeeOther, "/portal/")
}
