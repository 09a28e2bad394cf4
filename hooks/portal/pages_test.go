package portal_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"facturo/apptest"
	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
)

// browser is a cookie-keeping client that does not follow redirects, so
// that tests see them.
type browser struct {
	t    testing.TB
	base string
	c    *http.Client
}

func newBrowser(t testing.TB, base string) *browser {
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
	for _, id := range []string{apptest.IssuedB, apptest.DraftA} {
		form := url.Values{"csrf": {b.csrf("/portal/invoices/" + apptest.IssuedA)}, "action": {"accept"}}
		if p := b.post("/portal/invoices/"+id+"/respond", form); p.status != 404 {
			t.Errorf("answering %s: %d, want 404", id, p.status)
		}
	}
	if inv, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedB); inv.GetString("response") != "none" {
		t.Errorf("contact A answered customer B's invoice")
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

// TestListSearchesFiltersAndPages issues enough invoices for two pages and
// checks search, amount and order filters, and that page links keep them.
func TestListSearchesFiltersAndPages(t *testing.T) {
	app := apptest.New(t)
	col, _ := app.FindCollectionByNameOrId(invoicing.Invoices)
	for i := range 54 {
		d := core.NewRecord(col)
		d.Set("customer", apptest.CustomerA)
		d.Set("lines", fmt.Sprintf(`[{"description":"Pieza %d","quantity":1,"unit_price":%d,"vat":21}]`, i, 10+i))
		if err := app.Save(d); err != nil {
			t.Fatal(err)
		}
		if _, err := invoicing.IssueRecord(app, d.Id, invoicing.Actor{}); err != nil {
			t.Fatal(err)
		}
	}
	b := newBrowser(t, apptest.Serve(t, app))
	b.signIn("ana@alfa.example")
	rows := regexp.MustCompile(`<tr><td><a href="/portal/invoices/`)

	first := b.get("/portal/invoices?q=Pieza")
	if n := len(rows.FindAllString(first.body, -1)); n != 50 || !strings.Contains(first.body, "page=2") || !strings.Contains(first.body, "q=Pieza") {
		t.Fatalf("first page: %d rows, next link kept the search: %v", n, strings.Contains(first.body, "q=Pieza&amp;page=2"))
	}
	if n := len(rows.FindAllString(b.get("/portal/invoices?q=Pieza&page=2").body, -1)); n != 4 {
		t.Errorf("second page: %d rows, want 4", n)
	}
	if n := len(rows.FindAllString(b.get("/portal/invoices?q=Pieza+53").body, -1)); n != 1 {
		t.Errorf("search by a line description: %d rows, want 1", n)
	}
	// Totals are 1.21 × (10…63): 70 € to 76,30 € are the prices 58 to 63
	// (70,18 € … 76,23 €); invoice A's 121 € is above.
	if n := len(rows.FindAllString(b.get("/portal/invoices?min=70&max=76,30").body, -1)); n != 6 {
		t.Errorf("amount range: %d rows, want 6", n)
	}
	largest := b.get("/portal/invoices?sort=-total")
	if i, j := strings.Index(largest.body, "76,23 €"), strings.Index(largest.body, "75,02 €"); i < 0 || j < 0 || i > j {
		t.Errorf("largest first: 76,23 € at %d, 75,02 € at %d", i, j)
	}
	if p := b.get("/portal/invoices?from=nonsense&min=lots"); p.status != 200 {
		t.Errorf("unreadable filters are refused (%d) instead of left out", p.status)
	}
}

// TestSignInFromTheEmailedLinkLandsOnTheInvoice follows the view page's
// offer to sign in, and refuses to be sent to another site.
func TestSignInFromTheEmailedLinkLandsOnTheInvoice(t *testing.T) {
	app := apptest.New(t)
	b := newBrowser(t, apptest.Serve(t, app))
	next := "/portal/invoices/" + apptest.IssuedA
	login := b.get("/portal/login?next=" + url.QueryEscape(next))
	if !strings.Contains(login.body, `name="next" value="`+next+`"`) {
		t.Fatalf("the sign-in page does not carry where to go next")
	}
	p := b.post("/portal/login", url.Values{"csrf": {b.csrf("/portal/login")}, "email": {"ana@alfa.example"}, "password": {"contact-password-1"}, "next": {next}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != next {
		t.Errorf("after signing in: %d to %q, want %s", p.status, p.header.Get("Location"), next)
	}
	for _, evil := range []string{"https://evil.example/portal/", "//evil.example/portal/", "/portal/\\evil.example", "/api/collections/contacts/records"} {
		other := newBrowser(t, b.base)
		p := other.post("/portal/login", url.Values{"csrf": {other.csrf("/portal/login")}, "email": {"ana@alfa.example"}, "password": {"contact-password-1"}, "next": {evil}})
		if p.header.Get("Location") != "/portal/" {
			t.Errorf("next=%q sent the browser to %q", evil, p.header.Get("Location"))
		}
	}
}

// TestProfileChangesNameLanguageAndPassword changes the contact's details,
// refuses a password change without the current password, and signs in
// with the new one.
func TestProfileChangesNameLanguageAndPassword(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := newBrowser(t, base)
	b.signIn("ana@alfa.example")
	token := b.csrf("/portal/profile")

	if p := b.post("/portal/profile", url.Values{"csrf": {token}, "name": {"Ana"}, "language": {"en"}, "password": {"new-password-2"}, "current": {"wrong"}}); p.status != 400 || !strings.Contains(p.body, "contraseña actual") {
		t.Errorf("a password change with a wrong current password: %d", p.status)
	}
	if p := b.post("/portal/profile", url.Values{"name": {"Ana"}}); p.status != 403 {
		t.Errorf("a change without the form token: %d", p.status)
	}
	p := b.post("/portal/profile", url.Values{"csrf": {token}, "name": {"Ana García"}, "language": {"en"}, "password": {"new-password-2"}, "current": {"contact-password-1"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("saving the profile: %d %s", p.status, p.body)
	}
	contact, _ := app.FindRecordById(invoicing.Contacts, apptest.ContactA)
	if contact.GetString("name") != "Ana García" || contact.GetString("language") != "en" || !contact.ValidatePassword("new-password-2") {
		t.Errorf("the contact: %v", contact.FieldsData())
	}
	if page := b.get("/portal/profile?saved=1"); page.status != 200 || !strings.Contains(page.body, "Details saved") {
		t.Errorf("the session did not survive the password change, or the page is not in English: %d", page.status)
	}
	fresh := newBrowser(t, base)
	if p := fresh.post("/portal/login", url.Values{"csrf": {fresh.csrf("/portal/login")}, "email": {"ana@alfa.example"}, "password": {"new-password-2"}}); p.status != http.StatusSeeOther {
		t.Errorf("signing in with the new password: %d", p.status)
	}
}

// waitForMail waits for the test mailer to have sent n messages (PocketBase
// sends these emails in the background).
func waitForMail(t *testing.T, app *tests.TestApp, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); app.TestMailer.TotalSend() < n && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if app.TestMailer.TotalSend() != n {
		t.Fatalf("%d emails sent, want %d", app.TestMailer.TotalSend(), n)
	}
}

// TestSignInWithAnEmailedCode asks for a code, reads it from the email, and
// signs in with it; a wrong code and a second use are refused, and an
// unknown address reads the same and gets no email.
func TestSignInWithAnEmailedCode(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)

	stranger := newBrowser(t, base)
	unknown := stranger.post("/portal/code", url.Values{"csrf": {stranger.csrf("/portal/code")}, "email": {"nobody@alfa.example"}})

	b := newBrowser(t, base)
	known := b.post("/portal/code", url.Values{"csrf": {b.csrf("/portal/code")}, "email": {"ana@alfa.example"}})
	if known.status != 200 || unknown.status != 200 || !strings.Contains(known.body, `name="code"`) || !strings.Contains(unknown.body, `name="code"`) {
		t.Fatalf("asking for a code: %d and %d", known.status, unknown.status)
	}
	waitForMail(t, app, 1)
	code := regexp.MustCompile(`<strong>(\d+)</strong>`).FindStringSubmatch(app.TestMailer.LastMessage().HTML)
	if code == nil || app.TestMailer.LastMessage().To[0].Address != "ana@alfa.example" {
		t.Fatalf("no code in the email: %q", app.TestMailer.LastMessage().HTML)
	}
	token := b.csrf("/portal/code")
	if p := b.post("/portal/code/verify", url.Values{"csrf": {token}, "code": {"00000000"}}); p.status != 401 {
		t.Errorf("a wrong code: %d", p.status)
	}
	if p := b.post("/portal/code/verify", url.Values{"csrf": {token}, "code": {code[1]}}); p.status != http.StatusSeeOther {
		t.Fatalf("the right code: %d %s", p.status, p.body)
	}
	if p := b.get("/portal/invoices"); p.status != 200 {
		t.Errorf("signed in with the code, the list answers %d", p.status)
	}
	again := newBrowser(t, base)
	again.c.Jar.SetCookies(mustURL(t, base+"/portal/"), b.c.Jar.Cookies(mustURL(t, base+"/portal/")))
	if p := again.post("/portal/code/verify", url.Values{"csrf": {token}, "code": {code[1]}}); p.status != 401 {
		t.Errorf("a code used twice: %d", p.status)
	}
	time.Sleep(100 * time.Millisecond)
	if app.TestMailer.TotalSend() != 1 {
		t.Errorf("an unknown address got an email")
	}
}

// TestForgottenPasswordSendsAResetLink sends the reset email to a known
// contact only, with the same page for both.
func TestForgottenPasswordSendsAResetLink(t *testing.T) {
	app := apptest.New(t)
	b := newBrowser(t, apptest.Serve(t, app))
	token := b.csrf("/portal/forgot")
	unknown := b.post("/portal/forgot", url.Values{"csrf": {token}, "email": {"nobody@alfa.example"}})
	known := b.post("/portal/forgot", url.Values{"csrf": {token}, "email": {"ana@alfa.example"}})
	if unknown.status != 200 || known.status != 200 || unknown.body != known.body {
		t.Errorf("the answers differ: %d and %d", unknown.status, known.status)
	}
	waitForMail(t, app, 1)
	if m := app.TestMailer.LastMessage(); m.To[0].Address != "ana@alfa.example" || !strings.Contains(m.HTML, "confirm-password-reset") {
		t.Errorf("the reset email: %q", m.HTML)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestTheConversationShowsOnTheInvoicePage: the customer's question and the
// firm's answer, with their texts, in the invoice's history.
func TestTheConversationShowsOnTheInvoicePage(t *testing.T) {
	app := apptest.New(t)
	b := newBrowser(t, apptest.Serve(t, app))
	b.signIn("ana@alfa.example")
	path := "/portal/invoices/" + apptest.IssuedA
	if p := b.post(path+"/respond", url.Values{"csrf": {b.csrf(path)}, "action": {"query"}, "note": {"¿Cuál es el número de pedido?"}}); p.status != http.StatusSeeOther {
		t.Fatalf("the question: %d", p.status)
	}
	if _, err := mail.Answer(app, apptest.IssuedA, "Es el pedido 4711.", invoicing.Actor{Email: apptest.StaffEmail}); err != nil {
		t.Fatal(err)
	}
	page := b.get(path).body
	for _, want := range []string{"¿Cuál es el número de pedido?", "Es el pedido 4711.", "Respuesta de la empresa"} {
		if !strings.Contains(page, want) {
			t.Errorf("the history lacks %q", want)
		}
	}
	if strings.Contains(page, apptest.StaffEmail) {
		t.Error("the history names the firm's staff member")
	}
}
