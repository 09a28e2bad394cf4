// Package web is what the product's two sets of server-rendered pages share:
// the customers' portal and the staff workspace. Each is an Area: its own
// path, its own accounts and cookies, the same session and CSRF rules, the
// same look and the same sign-in limits.
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/crypto/bcrypt"

	"facturo/ui"
)

// Area is one set of pages under Path, signed in with accounts of
// Collection. Its cookies are scoped to Path: the session (a random id of a
// row in web_sessions, HttpOnly so that scripts cannot read it) and a
// random token that every form posts back (double-submit CSRF protection,
// on top of SameSite).
type Area struct {
	Path          string // "/portal"
	Collection    string // the auth collection its accounts live in
	SessionCookie string
	CSRFCookie    string
	Templates     string // the folder of ui/templates with its pages
}

// CSRFToken is the form token of this browser, set on first use.
func (a Area) CSRFToken(e *core.RequestEvent) string {
	if c, err := e.Request.Cookie(a.CSRFCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	b := make([]byte, 32)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(e.Response, &http.Cookie{Name: a.CSRFCookie, Value: token, Path: a.Path, HttpOnly: true, Secure: secure(e), SameSite: http.SameSiteStrictMode})
	return token
}

// ValidCSRF tells whether a posted form (or a script's X-CSRF-Token header)
// carries this browser's token.
func (a Area) ValidCSRF(e *core.RequestEvent) bool {
	c, err := e.Request.Cookie(a.CSRFCookie)
	if err != nil || len(c.Value) < 32 {
		return false
	}
	sent := e.Request.Header.Get("X-CSRF-Token")
	if sent == "" {
		sent = e.Request.PostFormValue("csrf")
	}
	return subtle.ConstantTimeCompare([]byte(c.Value), []byte(sent)) == 1
}

// Next is where to go after signing in: a page of this area that the link
// asked for, never another site.
func (a Area) Next(next string) string {
	if strings.HasPrefix(next, a.Path+"/") && !strings.ContainsAny(next, `\`) && !strings.HasPrefix(next, "//") {
		if u, err := url.Parse(next); err == nil && u.Host == "" && u.Scheme == "" {
			return next
		}
	}
	return a.Path + "/"
}

// equalizingHash is a bcrypt hash of nothing anyone types.
var equalizingHash, _ = bcrypt.GenerateFromPassword([]byte("not a password anyone uses"), 10)

// PasswordSignIn handles the area's sign-in form (csrf, email, password,
// next): it stores the session and sends the browser where next asks, or
// calls fail with the HTTP status and the translation key of what to say.
// Whether the address exists or not, a failure says the same and takes as
// long (a password check's time is spent either way), and attempts are
// limited per address of origin and per account; a right password does not
// count.
func (a Area) PasswordSignIn(e *core.RequestEvent, fail func(status int, key string) error) error {
	if !a.ValidCSRF(e) {
		return fail(http.StatusForbidden, "portal.signin.failed")
	}
	email := strings.TrimSpace(e.Request.PostFormValue("email"))
	guess, wait := BeginGuess(e.App, ClientIP(e), AccountKey(a.Collection, email))
	if wait > 0 {
		SetRetryAfter(e, wait)
		return fail(http.StatusTooManyRequests, "portal.signin.too_many")
	}
	password := e.Request.PostFormValue("password")
	account, err := e.App.FindAuthRecordByEmail(a.Collection, email)
	if err != nil {
		bcrypt.CompareHashAndPassword(equalizingHash, []byte(password))
		return fail(http.StatusUnauthorized, "portal.signin.failed")
	}
	if !account.ValidatePassword(password) || Disabled(account) {
		return fail(http.StatusUnauthorized, "portal.signin.failed")
	}
	guess.Succeeded()
	if err := a.SignIn(e, account); err != nil {
		return err
	}
	return e.Redirect(http.StatusSeeOther, a.Next(e.Request.PostFormValue("next")))
}

// StaleForm answers a form posted without this browser's CSRF token (a tab
// left open from an earlier session, another site's form), in lang: the
// reader is asked to open the page again, nothing is done.
func StaleForm(e *core.RequestEvent, lang string) error {
	return e.String(http.StatusForbidden, ui.T(lang, "form.stale"))
}

// SignInFirst answers a form posted by someone not signed in, in lang.
func SignInFirst(e *core.RequestEvent, lang string) error {
	return e.String(http.StatusUnauthorized, ui.T(lang, "form.sign_in_first"))
}

// BrowserLanguage is the language the browser asks for, for answers given
// before anyone is known.
func BrowserLanguage(e *core.RequestEvent) string {
	return ui.Pick(ui.AcceptLanguage(e.Request.Header.Get("Accept-Language")))
}

// SignOutForm handles the area's sign-out form: it ends the session on the
// server, and sends the browser to its sign-in page.
func (a Area) SignOutForm(e *core.RequestEvent) error {
	if e.Request.ParseForm(); !a.ValidCSRF(e) {
		return StaleForm(e, BrowserLanguage(e))
	}
	if err := a.SignOut(e); err != nil {
		return err
	}
	return e.Redirect(http.StatusSeeOther, a.Path+"/login")
}

// Render executes a page of the area in lang: the page's template with the
// shared look (templates/shared) and the area's frame (base.html).
func (a Area) Render(e *core.RequestEvent, status int, name, lang string, data any) error {
	t, err := ui.HTMLPage(lang, "templates/shared/*.html", "templates/"+a.Templates+"/base.html", "templates/"+a.Templates+"/"+name)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return err
	}
	h := e.Response.Header()
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	return SendHTML(e, status, buf.Bytes())
}

// ServeStatic serves the embedded static files (today the icon), so that
// the pages need no internet: gzipped to browsers that take it, compressed once per process.
// An address with the file's fingerprint (ui.Asset) may be kept for a year,
// since a new file gets a new address; any other is checked again each time.
func ServeStatic() func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		f := ui.Static(e.Request.PathValue("path"))
		if f == nil {
			return e.NotFoundError("", nil)
		}
		cache := "public, no-cache"
		if v := e.Request.URL.Query().Get("v"); v != "" && v == f.Hash {
			cache = "public, max-age=31536000, immutable"
		}
		return SendStatic(e, f, cache)
	}
}

// ServeFavicon serves the product's icon where browsers look for it
// without being told, /favicon.ico; pages name its fingerprinted address.
func ServeFavicon(e *core.RequestEvent) error {
	return SendStatic(e, ui.Static("favicon.ico"), "public, max-age=86400")
}

// SendStatic sends a static file with the cache rule given, its
// fingerprint as ETag, and gzipped when the browser accepts it.
func SendStatic(e *core.RequestEvent, f *ui.StaticFile, cache string) error {
	h := e.Response.Header()
	h.Set("Cache-Control", cache)
	h.Set("Content-Type", f.ContentType)
	etag := `"` + f.Hash + `"`
	h.Set("ETag", etag)
	body := f.Body
	if f.Gzip != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(e.Request) {
			h.Set("Content-Encoding", "gzip")
			body = f.Gzip
		}
	}
	if match := e.Request.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		e.Response.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	e.Response.WriteHeader(http.StatusOK)
	if e.Request.Method != http.MethodHead {
		_, err := e.Response.Write(body)
		return err
	}
	return nil
}

// acceptsGzip tells whether the request takes gzip-encoded answers.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			return strings.ReplaceAll(strings.TrimSpace(params), " ", "") != "q=0"
		}
	}
	return false
}

// gzipWriters are reused: a gzip.Writer holds some 800 KB of tables.
var gzipWriters = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression); return w }}

// SendHTML sends a page, gzipped when the browser accepts it and the page
// is big enough for that to pay.
func SendHTML(e *core.RequestEvent, status int, page []byte) error {
	h := e.Response.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Add("Vary", "Accept-Encoding")
	if len(page) >= 1024 && acceptsGzip(e.Request) {
		var buf bytes.Buffer
		w := gzipWriters.Get().(*gzip.Writer)
		w.Reset(&buf)
		w.Write(page)
		w.Close()
		gzipWriters.Put(w)
		h.Set("Content-Encoding", "gzip")
		page = buf.Bytes()
	}
	h.Set("Content-Length", strconv.Itoa(len(page)))
	e.Response.WriteHeader(status)
	_, err := e.Response.Write(page)
	return err
}

// SetCookie sets a short-lived cookie of the area (HttpOnly, SameSite
// strict); a negative maxAge removes it.
func (a Area) SetCookie(e *core.RequestEvent, name, value string, maxAge int) {
	http.SetCookie(e.Response, &http.Cookie{Name: name, Value: value, Path: a.Path, HttpOnly: true, Secure: secure(e), SameSite: http.SameSiteStrictMode, MaxAge: maxAge})
}
