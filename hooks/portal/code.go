package portal

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/mails"
	"github.com/pocketbase/pocketbase/tools/routine"
	"github.com/pocketbase/pocketbase/tools/security"

	"facturo/hooks/invoicing"
	"facturo/internal/web"
	"facturo/ui"
)

// otpCookie remembers, between the two steps of signing in with an emailed
// code, which code was sent. Unknown addresses get a made-up one, so the
// pages read the same whether the address exists or not.
const otpCookie = "facturo_otp"

type codePage struct {
	page
	Sent        bool
	Next, Error string
}

type forgotPage struct {
	page
	Sent  bool
	Error string
}

func bindCodeAndReset(se *core.ServeEvent) {
	se.Router.GET("/portal/code", handleCodePage)
	se.Router.POST("/portal/code", handleCodeSend)
	se.Router.POST("/portal/code/verify", handleCodeVerify)
	se.Router.GET("/portal/forgot", handleForgotPage)
	se.Router.POST("/portal/forgot", handleForgotSend)
	se.Router.GET(PasswordPath, handlePasswordPage)
	se.Router.POST(PasswordPath, handlePasswordSave)
}

func handleCodePage(e *core.RequestEvent) error {
	p := newPage(e, nil, "portal.code.title")
	return render(e, http.StatusOK, "code.html", p.Lang, codePage{page: p, Next: site.Next(e.Request.URL.Query().Get("next"))})
}

// handleCodeSend emails a one-time code (PocketBase's OTP) to a contact.
func handleCodeSend(e *core.RequestEvent) error {
	p := newPage(e, nil, "portal.code.title")
	cp := codePage{page: p, Next: site.Next(e.Request.PostFormValue("next"))}
	if !site.ValidCSRF(e) {
		return web.StaleForm(e, p.Lang)
	}
	email := strings.TrimSpace(e.Request.PostFormValue("email"))
	if wait := web.CountMail(e.App, web.ClientIP(e), web.AccountKey(invoicing.Contacts, email)); wait > 0 {
		web.SetRetryAfter(e, wait)
		cp.Error = ui.T(p.Lang, "portal.signin.too_many")
		return render(e, http.StatusTooManyRequests, "code.html", p.Lang, cp)
	}
	otpID := core.GenerateDefaultRandomId()
	contact, err := e.App.FindAuthRecordByEmail(invoicing.Contacts, email)
	if err == nil {
		collection := contact.Collection()
		code := security.RandomStringWithAlphabet(collection.OTP.Length, "1234567890")
		otp := core.NewOTP(e.App)
		otp.SetCollectionRef(collection.Id)
		otp.SetRecordRef(contact.Id)
		otp.SetPassword(code)
		if err := e.App.Save(otp); err != nil {
			return err
		}
		otpID = otp.Id
		app := e.App
		// Sent in the background: the answer must not take longer for an
		// address that exists.
		routine.FireAndForget(func() {
			if err := mails.SendRecordOTP(app, contact, otp.Id, code); err != nil {
				app.Logger().Error("portal: sending a sign-in code", "error", err)
			}
		})
	}
	site.SetCookie(e, otpCookie, otpID, 900)
	cp.Sent = true
	return render(e, http.StatusOK, "code.html", p.Lang, cp)
}

// handleCodeVerify signs in with the emailed code; a code works once, and
// dies at its web.CodeTries-th wrong try (on this page or PocketBase's REST
// route, which count together). A made-up code of an unknown address reads
// the same.
func handleCodeVerify(e *core.RequestEvent) error {
	p := newPage(e, nil, "portal.code.title")
	cp := codePage{page: p, Sent: true, Next: site.Next(e.Request.PostFormValue("next"))}
	if !site.ValidCSRF(e) {
		return web.StaleForm(e, p.Lang)
	}
	fail := func() error {
		cp.Error = ui.T(p.Lang, "portal.code.failed")
		return render(e, http.StatusUnauthorized, "code.html", p.Lang, cp)
	}
	exhausted := func() error {
		site.SetCookie(e, otpCookie, "", -1)
		cp.Sent = false
		cp.Error = ui.T(p.Lang, "portal.code.exhausted")
		return render(e, http.StatusUnauthorized, "code.html", p.Lang, cp)
	}
	otpID := ""
	if c, err := e.Request.Cookie(otpCookie); err == nil {
		otpID = c.Value
	}
	contacts, err := e.App.FindCachedCollectionByNameOrId(invoicing.Contacts)
	if err != nil {
		return err
	}
	var contact *core.Record
	otp, err := e.App.FindOTPById(otpID)
	if err == nil && otp.CollectionRef() == contacts.Id {
		contact, _ = e.App.FindRecordById(contacts, otp.RecordRef())
	}
	if contact == nil {
		otp = nil
	}
	account := ""
	if contact != nil {
		account = web.AccountKey(invoicing.Contacts, contact.Email())
	}
	guess, wait := web.BeginGuess(e.App, web.ClientIP(e), account)
	if wait > 0 {
		web.SetRetryAfter(e, wait)
		cp.Error = ui.T(p.Lang, "portal.signin.too_many")
		return render(e, http.StatusTooManyRequests, "code.html", p.Lang, cp)
	}
	if otpID == "" {
		return fail()
	}
	if web.CodeExhausted(e.App, otpID) {
		if otp != nil {
			web.KillCode(e.App, otp)
		}
		return exhausted()
	}
	if otp == nil || otp.HasExpired(contacts.OTP.DurationTime()) || !otp.ValidatePassword(strings.TrimSpace(e.Request.PostFormValue("code"))) {
		if web.WrongCode(e.App, otpID) {
			if otp != nil {
				web.KillCode(e.App, otp)
			}
			return exhausted()
		}
		return fail()
	}
	guess.Succeeded()
	if err := e.App.Delete(otp); err != nil {
		return err
	}
	if err := site.SignIn(e, contact); err != nil {
		return err
	}
	site.SetCookie(e, otpCookie, "", -1)
	return e.Redirect(http.StatusSeeOther, cp.Next)
}

func handleForgotPage(e *core.RequestEvent) error {
	p := newPage(e, nil, "portal.forgot.title")
	return render(e, http.StatusOK, "forgot.html", p.Lang, forgotPage{page: p})
}

// handleForgotSend emails a contact a link to choose a new password; the
// page says the same whether or not the address exists.
func handleForgotSend(e *core.RequestEvent) error {
	p := newPage(e, nil, "portal.forgot.title")
	if !site.ValidCSRF(e) {
		return web.StaleForm(e, p.Lang)
	}
	email := strings.TrimSpace(e.Request.PostFormValue("email"))
	if wait := web.CountMail(e.App, web.ClientIP(e), web.AccountKey(invoicing.Contacts, email)); wait > 0 {
		web.SetRetryAfter(e, wait)
		return render(e, http.StatusTooManyRequests, "forgot.html", p.Lang, forgotPage{page: p, Error: ui.T(p.Lang, "portal.signin.too_many")})
	}
	if contact, err := e.App.FindAuthRecordByEmail(invoicing.Contacts, email); err == nil {
		app := e.App
		routine.FireAndForget(func() {
			if err := mails.SendRecordPasswordReset(app, contact); err != nil {
				app.Logger().Error("portal: sending a password reset link", "error", err)
			}
		})
	}
	return render(e, http.StatusOK, "forgot.html", p.Lang, forgotPage{page: p, Sent: true})
}
