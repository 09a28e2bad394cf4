package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/web"
)

// BenchmarkSignedIn measures what reading a page's session costs: a row of
// web_sessions and the account (session), against checking the PocketBase
// auth token the cookie held before (token).
func BenchmarkSignedIn(b *testing.B) {
	app := apptest.New(b)
	area := web.Area{Path: "/portal", Collection: invoicing.Contacts, SessionCookie: "s", CSRFCookie: "c", Templates: "portal"}
	contact, err := app.FindRecordById(invoicing.Contacts, apptest.ContactA)
	if err != nil {
		b.Fatal(err)
	}
	event := func(cookie *http.Cookie) *core.RequestEvent {
		e := &core.RequestEvent{App: app}
		e.Request = httptest.NewRequest("GET", "/portal/", nil)
		e.Response = httptest.NewRecorder()
		if cookie != nil {
			e.Request.AddCookie(cookie)
		}
		return e
	}
	signIn := event(nil)
	if err := area.SignIn(signIn, contact); err != nil {
		b.Fatal(err)
	}
	cookie := signIn.Response.(*httptest.ResponseRecorder).Result().Cookies()[0]
	b.Run("session", func(b *testing.B) {
		for range b.N {
			if area.SignedIn(event(cookie)) == nil {
				b.Fatal("not signed in")
			}
		}
	})
	b.Run("token", func(b *testing.B) {
		for range b.N {
			if _, err := app.FindAuthRecordByToken(apptest.Tokens.ContactA, core.TokenTypeAuth); err != nil {
				b.Fatal(err)
			}
		}
	})
}
