package apptest

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"testing"
)

// Browser is a cookie-keeping client for the server-rendered pages. It does
// not follow redirects, so that tests see them.
type Browser struct {
	t      testing.TB
	Base   string
	Client *http.Client
}

// Page is what the browser received.
type Page struct {
	Status int
	Header http.Header
	Body   string
}

// NewBrowser is a browser with no cookies, for the server at base.
func NewBrowser(t testing.TB, base string) *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{t: t, Base: base, Client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Get loads path.
func (b *Browser) Get(path string) Page {
	b.t.Helper()
	res, err := b.Client.Get(b.Base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.read(res)
}

// Post submits a form to path.
func (b *Browser) Post(path string, form url.Values) Page {
	b.t.Helper()
	res, err := b.Client.PostForm(b.Base+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.read(res)
}

// Do sends a request made by the test, with the browser's cookies.
func (b *Browser) Do(req *http.Request) Page {
	b.t.Helper()
	res, err := b.Client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.read(res)
}

func (b *Browser) read(res *http.Response) Page {
	b.t.Helper()
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return Page{res.StatusCode, res.Header, string(body)}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// CSRF is the form token of the page at path.
func (b *Browser) CSRF(path string) string {
	b.t.Helper()
	m := csrfField.FindStringSubmatch(b.Get(path).Body)
	if m == nil {
		b.t.Fatalf("no form token on %s", path)
	}
	return m[1]
}

// SignIn signs in through the form at loginPath and expects to be sent to
// home.
func (b *Browser) SignIn(loginPath, email, password, home string) {
	b.t.Helper()
	p := b.Post(loginPath, url.Values{"csrf": {b.CSRF(loginPath)}, "email": {email}, "password": {password}})
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != home {
		b.t.Fatalf("sign-in of %s: %d %s", email, p.Status, p.Body)
	}
}
