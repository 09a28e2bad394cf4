package portal

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
)

// The portal keeps its session in cookies, scoped to /portal: the contact's
// PocketBase auth token (HttpOnly, so scripts cannot read it), and a random
// token that every form posts back (double-submit CSRF protection, on top
// of SameSite).
const (
	sessionCookie = "facturo_session"
	csrfCookie    = "facturo_csrf"
	cookiePath    = "/portal"
)

func secure(e *core.RequestEvent) bool {
	return e.Request.TLS != nil || e.Request.Header.Get("X-Forwarded-Proto") == "https"
}

// signIn stores the contact's session.
func signIn(e *core.RequestEvent, contact *core.Record) error {
	token, err := contact.NewAuthToken()
	if err != nil {
		return err
	}
	http.SetCookie(e.Response, &http.Cookie{
		Name: sessionCookie, Value: token, Path: cookiePath, HttpOnly: true, Secure: secure(e), SameSite: http.SameSiteLaxMode,
		MaxAge: int(contact.Collection().AuthToken.DurationTime() / time.Second),
	})
	return nil
}

// signOut forgets the session.
func signOut(e *core.RequestEvent) {
	http.SetCookie(e.Response, &http.Cookie{Name: sessionCookie, Value: "", Path: cookiePath, HttpOnly: true, Secure: secure(e), SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// signedIn is the contact of the session, if it is valid.
func signedIn(e *core.RequestEvent) *core.Record {
	c, err := e.Request.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	contact, err := e.App.FindAuthRecordByToken(c.Value, core.TokenTypeAuth)
	if err != nil || contact.Collection().Name != invoicing.Contacts {
		return nil
	}
	return contact
}

// csrfToken is the form token of this browser, set on first use.
func csrfToken(e *core.RequestEvent) string {
	if c, err := e.Request.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	b := make([]byte, 32)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(e.Response, &http.Cookie{Name: csrfCookie, Value: token, Path: cookiePath, HttpOnly: true, Secure: secure(e), SameSite: http.SameSiteStrictMode})
	return token
}

// validCSRF tells whether a posted form carries this browser's token.
func validCSRF(e *core.RequestEvent) bool {
	c, err := e.Request.Cookie(csrfCookie)
	if err != nil || len(c.Value) < 32 {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(c.Value), []byte(e.Request.PostFormValue("csrf"))) == 1
}

// signInLimit bounds sign-in attempts per address of origin.
const (
	signInAttempts = 10
	signInWindow   = 5 * time.Minute
)

// signInLimiter counts recent sign-in attempts per address of origin; one
// per app, kept in the app's store.
type signInLimiter struct {
	sync.Mutex
	at map[string][]time.Time
}

const storeLimiter = "facturo.portal.signin"

// allowSignIn records an attempt from ip and tells whether it may proceed.
func allowSignIn(app core.App, ip string) bool {
	l := app.Store().GetOrSet(storeLimiter, func() any { return &signInLimiter{at: map[string][]time.Time{}} }).(*signInLimiter)
	l.Lock()
	defer l.Unlock()
	now := time.Now()
	var recent []time.Time
	for _, t := range l.at[ip] {
		if now.Sub(t) < signInWindow {
			recent = append(recent, t)
		}
	}
	if len(recent) >= signInAttempts {
		l.at[ip] = recent
		return false
	}
	if len(l.at) > 10_000 {
		l.at = map[string][]time.Time{} // a flood of addresses: start counting afresh
	}
	l.at[ip] = append(recent, now)
	return true
}
