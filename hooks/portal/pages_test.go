package portal_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"facturo/apptest"
	"facturo/hooks/invoicing"
)

// browser is a cookie-keeping client that does not follow redirects, so
// that tests see them.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type page struct {
	status int
	header http.Header
	body   string
}

func (b *browser) get(path string) page {
	b.t.Helper()
	res, err := b.c.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return page{res.StatusCode, res.Header, string(body)}
}

func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	res, err := b.c.PostForm(b.base+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return page{res.StatusCode, res.Header, string(body)}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf is the form token of the page at path.
func (b *browser) csrf(path string) string {
	b.t.Helper()
	m := csrfField.FindStringSubmatch(b.get(path).body)
	if m == nil {
		b.t.Fatalf("no form token on %s", path)
	}
	return m[1]
}

func (b *browser) signIn(email string) {
	b.t.Helper()
	p := b.post("/portal/login", url.Values{"csrf": {b.csrf("/portal/login")}, "email": {email}, "password": {"contact-password-1"}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/portal/" {
		b.t.Fatalf("sign-in of %s: %d %s", email, p.status, p.body)
	}
}

func TestSignInAndOut(t *testing.T) {
	app := apptest.New(t)
	b := newBrowser(t, apptest.Serve(t, app))

	if p := b.get("/portal/"); p.status != http.StatusSeeOther || p.header.Get("Location") != "/portal/login" {
		t.Fatalf("the portal without a session: %d %s", p.status, p.header.Get("Location"))
	}
	token := b.csrf("/portal/login")
	wrong := b.post("/portal/login", url.Values{"csrf": {token}, "email": {"ana@alfa.example"}, "password": {"nope"}})
	unknown := b.post("/portal/login", url.Values{"csrf": {token}, "email": {"nobody@alfa.example"}, "password": {"nope"}})
	if wrong.status != 401 || unknown.status != 401 || !strings.Contains(wrong.body, "no son correctos") {
		t.Errorf("failed sign-ins: %d and %d", wrong.status, unknown.status)
	}
	if strings.Replace(wrong.body, "ana@alfa.example", "", 1) != strings.Replace(unknown.body, "nobody@alfa.example", "", 1) {
		t.Error("a wrong password and an unknown address get different answers")
	}
	if p := b.post("/portal/login", url.Values{"email": {"ana@alfa.example"}, "password": {"contact-password-1"}}); p.status != 403 {
		t.Errorf("a sign-in without the form token: %d", p.status)
	}

	p := b.post("/portal/login", url.Values{"csrf": {token}, "email": {"ana@alfa.example"}, "password": {"contact-password-1"}})
	cookie := strings.Join(p.header.Values("Set-Cookie"), "; ")
	if p.status != http.StatusSeeOther || !strings.Contains(cookie, "facturo_session=") || !strings.Contains(cookie, "HttpOnly") ||
		!strings.Contains(cookie, "SameSite=Lax") || !strings.Contains(cookie, "Path=/portal") {
		t.Fatalf("sign-in: %d, cookie %q", p.status, cookie)
	}
	a, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	bInv, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedB)
	list := b.get("/portal/invoices")
	if list.status != 200 || !strings.Contains(list.body, a.GetString("number")) || strings.Contains(list.body, bInv.GetString("number")) || strings.Contains(list.body, apptest.DraftA) {
		t.Errorf("the list shows other customers' invoices or drafts, or not its own: %d", list.status)
	}

	if p := b.post("/portal/logout", url.Values{}); p.status != 403 {
		t.Errorf("a sign-out without the form token: %d", p.status)
	}
	if p := b.post("/portal/logout", url.Values{"csrf": {b.csrf("/portal/")}}); p.status != http.StatusSeeOther {
		t.Errorf("sign-out: %d", p.status)
	}
	if p := b.get("/portal/"); p.status != http.StatusSeeOther {
		t.Errorf("the portal after signing out: %d", p.status)
	}
}

func TestSignInAttemptsAreLimited(t *testing.T) {
	app := apptest.New(t)
	b := newBrowser(t, apptest.Serve(t, app))
	token := b.csrf("/portal/login")
	var last page
	for range 11 {
		last = b.post("/portal/login", url.Values{"csrf": {token}, "email": {"ana@alfa.example"}, "password": {"guess"}})
	}
	if last.status != http.StatusTooManyRequests {
		t.Errorf("the 11th attempt in a row: %d", last.status)
	}
}

func TestInvoicePagesShowOnlyTheCustomersOwn(t *testing.T) {
	app := apptest.New(t)
	b := newBrowser(t, apptest.Serve(t, app))
	b.signIn("ana@alfa.example")
	a, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)

	if p := b.get("/portal/invoices/" + apptest.IssuedA); p.status != 200 || !strings.Contains(p.body, a.GetString("number")) || !strings.Contains(p.body, "Consultoría") {
		t.Errorf("its own invoice: %d", p.status)
	}
	for _, id := range []string{apptest.IssuedB, apptest.DraftA, "nosuchinvoice00"} {
		for _, suffix := range []string{"", "/pdf"} {
			if p := b.get("/portal/invoices/" + id + suffix); p.status != 404 {
				t.Errorf("%s%s: %d, want 404", id, suffix, p.status)
			}
		}
	}
	pdf := b.get("/portal/invoices/" + apptest.IssuedA + "/pdf")
	if pdf.status != 200 || !strings.HasPrefix(pdf.body, "%PDF-") {
		t.Errorf("the PDF: %d", pdf.status)
	}
	if n, _ := app.CountRecords(invoicing.Events, dbx.HashExp{"invoice": apptest.IssuedA, "type": "downloaded", "actor": apptest.ContactA}); n != 1 {
		t.Errorf("%d downloaded events by the contact, want 1", n)
	}
	csv := b.get("/portal/exports/invoices.csv?customer=" + apptest.CustomerB)
	if csv.status != 200 || !strings.Contains(csv.body, a.GetString("number")) || strings.Count(csv.body, "\n") != 3 {
		t.Errorf("the export: %d\n%s", csv.status, csv.body)
	}
}

func TestApproverAnswersFromTheInvoicePage(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	path := "/portal/invoices/" + apptest.IssuedA
	form := url.Values{"action": {"reject"}, "reason": {"PRI"}, "correction": {"CNP"}, "note": {"Precio distinto del presupuesto"}}

	viewer := newBrowser(t, base)
	viewer.signIn("victor@alfa.example")
	form.Set("csrf", viewer.csrf(path))
	if p := viewer.post(path+"/respond", form); p.status != 403 {
		t.Errorf("a viewer's answer: %d", p.status)
	}

	approver := newBrowser(t, base)
	approver.signIn("ana@alfa.example")
	form.Del("csrf")
	if p := approver.post(path+"/respond", form); p.status != 403 {
		t.Errorf("an answer without the form token: %d", p.status)
	}
	if inv, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA); inv.GetString("response") != "none" {
		t.Fatalf("refused answers changed the invoice: %s", inv.GetString("response"))
	}
	form.Set("csrf", approver.csrf(path))
	p := approver.post(path+"/respond", form)
	if p.status != http.StatusSeeOther || !strings.HasSuffix(p.header.Get("Location"), "?done=1") {
		t.Fatalf("the answer: %d %s", p.status, p.body)
	}
	inv, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	if inv.GetString("response") != "rejected" || inv.GetString("response_by") != apptest.ContactA || inv.GetString("response_reason") != "PRI" {
		t.Errorf("the invoice: %v", inv.FieldsData())
	}
	if after := approver.get(path + "?done=1"); !strings.Contains(after.body, "Respuesta registrada") || !strings.Contains(after.body, "Rechazada") {
		t.Errorf("the page after answering does not confirm it or show it on the history")
	}
}

// TestFirstScreenChartsTheCustomersHistory checks the figures and that both
// charts come with their options and the ECharts bundle the server serves.
func TestFirstScreenChartsTheCustomersHistory(t *testing.T) {
	app := apptest.New(t)
	b := newBrowser(t, apptest.Serve(t, app))
	b.signIn("ana@alfa.example")
	home := b.get("/portal/")
	// Invoice A: 121,00 € of which 21,00 € paid.
	for _, want := range []string{"100,00 €", "121,00 €", `id="chartMonthly"`, `id="chartAgeing"`, "/portal/static/echarts/echarts.min.js", "Pagado", "Pendiente"} {
		if !strings.Contains(home.body, want) {
			t.Errorf("the first screen lacks %q", want)
		}
	}
	if strings.Contains(home.body, "go-echarts.github.io") {
		t.Error("the charts load their assets from the internet")
	}
	js := b.get("/portal/static/echarts/echarts.min.js")
	if js.status != 200 || len(js.body) < 500_000 {
		t.Errorf("the ECharts bundle: %d, %d bytes", js.status, len(js.body))
	}
	if p := b.get("/portal/?months=12"); p.status != 200 || !strings.Contains(p.body, `<option value="12" selected>`) {
		t.Errorf("the period selector: %d", p.status)
	}
}
