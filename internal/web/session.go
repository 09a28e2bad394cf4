package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// SessionsCollection holds the sessions of the portal and the workspace:
// one row per signed-in browser, which signing out deletes. The cookie
// holds a random id and the row only its SHA-256, so that the table does
// not hold what opens a session. It has no API rules: only the product's
// code reads it, and PocketBase's REST never takes a session id for a
// token.
const SessionsCollection = "web_sessions"

// seenEvery is how stale a session's last_seen may get before a request
// writes it again: often enough to tell when a device was last used,
// seldom enough not to write on every page.
const seenEvery = time.Minute

func hashSessionID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// SignIn starts a session of account in this browser: a row in
// web_sessions that lasts as long as the account's collection lets its
// auth tokens last, and a cookie with its id. It ends the browser's
// previous session of the area, and clears the expired sessions of
// everyone.
func (a Area) SignIn(e *core.RequestEvent, account *core.Record) error {
	sessions, err := e.App.FindCachedCollectionByNameOrId(SessionsCollection)
	if err != nil {
		return err
	}
	if err := a.endBrowserSession(e); err != nil {
		return err
	}
	if err := deleteExpiredSessions(e.App); err != nil {
		return err
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	id := base64.RawURLEncoding.EncodeToString(raw)
	lifetime := account.Collection().AuthToken.DurationTime()
	now := time.Now().UTC()
	ua := e.Request.UserAgent()
	if len(ua) > 500 {
		ua = ua[:500]
	}
	row := core.NewRecord(sessions)
	row.Load(map[string]any{
		"area": a.Path, "account_collection": account.Collection().Name, "account": account.Id,
		"token_hash": hashSessionID(id), "last_seen": now, "expires": now.Add(lifetime),
		"ip": ClientIP(e), "user_agent": ua,
	})
	if err := e.App.Save(row); err != nil {
		return err
	}
	http.SetCookie(e.Response, &http.Cookie{
		Name: a.SessionCookie, Value: id, Path: a.Path, HttpOnly: true, Secure: secure(e), SameSite: http.SameSiteLaxMode,
		MaxAge: int(lifetime / time.Second),
	})
	return nil
}

// SignOut ends the browser's session: its row is deleted, so the cookie
// no longer opens anything, wherever a copy of it went.
func (a Area) SignOut(e *core.RequestEvent) error {
	err := a.endBrowserSession(e)
	http.SetCookie(e.Response, &http.Cookie{Name: a.SessionCookie, Value: "", Path: a.Path, HttpOnly: true, Secure: secure(e), SameSite: http.SameSiteLaxMode, MaxAge: -1})
	return err
}

func (a Area) endBrowserSession(e *core.RequestEvent) error {
	c, err := e.Request.Cookie(a.SessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	_, err = e.App.DB().Delete(SessionsCollection, dbx.HashExp{"token_hash": hashSessionID(c.Value), "area": a.Path}).Execute()
	return err
}

// SignedIn is the account of the browser's session, if the session is of
// this area, has not ended or expired, and its account still exists.
func (a Area) SignedIn(e *core.RequestEvent) *core.Record {
	c, err := e.Request.Cookie(a.SessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return nil
	}
	var s struct {
		ID       string         `db:"id"`
		Account  string         `db:"account"`
		LastSeen types.DateTime `db:"last_seen"`
		Expires  types.DateTime `db:"expires"`
	}
	err = e.App.DB().Select("id", "account", "last_seen", "expires").From(SessionsCollection).
		Where(dbx.HashExp{"token_hash": hashSessionID(c.Value), "area": a.Path, "account_collection": a.Collection}).
		One(&s)
	now := time.Now().UTC()
	if err != nil || !s.Expires.Time().After(now) {
		return nil
	}
	account, err := e.App.FindRecordById(a.Collection, s.Account)
	if err != nil || Disabled(account) {
		return nil
	}
	if now.Sub(s.LastSeen.Time()) > seenEvery {
		seen, _ := types.ParseDateTime(now)
		if _, err := e.App.DB().Update(SessionsCollection, dbx.Params{"last_seen": seen.String()}, dbx.HashExp{"id": s.ID}).Execute(); err != nil {
			e.App.Logger().Warn("web: noting a session's last use", "error", err)
		}
	}
	return account
}

// Disabled tells an account its collection marks as disabled (a contact
// the firm turned off): it starts no session, and a session it has opens
// nothing.
func Disabled(account *core.Record) bool {
	return account.GetBool("disabled")
}

// EndSessions ends every session of account, in every browser.
func EndSessions(app core.App, account *core.Record) error {
	_, err := app.DB().Delete(SessionsCollection, dbx.HashExp{"account_collection": account.Collection().Name, "account": account.Id}).Execute()
	return err
}

// EndSessionsOnKeyChange is a hook for OnRecordUpdateExecute of an area's
// collection: when an account's token key changes (PocketBase changes it
// with the password or the email, which ends its REST tokens), its
// sessions end too, in the same transaction.
func EndSessionsOnKeyChange(e *core.RecordEvent) error {
	stored, err := e.App.FindRecordById(e.Record.Collection(), e.Record.Id)
	if err != nil {
		return e.Next()
	}
	before := stored.TokenKey()
	if err := e.Next(); err != nil {
		return err
	}
	if e.Record.TokenKey() != before {
		return EndSessions(e.App, e.Record)
	}
	return nil
}

func deleteExpiredSessions(app core.App) error {
	now, _ := types.ParseDateTime(time.Now().UTC())
	_, err := app.DB().Delete(SessionsCollection, dbx.NewExp("expires <= {:now}", dbx.Params{"now": now.String()})).Execute()
	return err
}
