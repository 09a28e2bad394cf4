package portal_test

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
	"facturo/internal/apptest"
	"facturo/ui"
)

// browser is the test client of the portal's pages.
type browser struct{ *apptest.Browser }

func newBrowser(t testing.TB, base string) browser { return browser{apptest.NewBrowser(t, base)} }

func (b browser) signIn(email string) {
	b.SignIn("/portal/login", email, "contact-password-1", "/portal/")
}

func TestSignInAndOut(t *testing.T) {
	app := apptest.New(t)
	b := newBrowser(t, apptest.Serve(t, app))

	if p := b.Get("/portal/"); p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/portal/login" {
		t.Fatalf("the portal without a session: %d %s", p.Status, p.Header.Get("Location"))
	}
	token := b.CSRF("/portal/login")
	wrong := b.Post("/portal/login", url.Values{"csrf": {token}, "email": {"ana@alfa.example"}, "password": {"nope"}})
	unknown := b.Post("/portal/login", url.Values{"csrf": {token}, "email": {"nobody@alfa.example"}, "password": {"nope"}})
	if wrong.Status != 401 || unknown.Status != 401 || !strings.Contains(wrong.Body, "no son correctos") {
		t.Errorf("failed sign-ins: %d and %d", wrong.Status, unknown.Status)
	}
	if strings.Replace(wrong.Body, "ana@alfa.example", "", 1) != strings.Replace(unknown.Body, "nobody@alfa.example", "", 1) {
		t.Error("a wrong password and an unknown address get different answers")
	}
	if p := b.Post("/portal/login", url.Values{"email": {"ana@alfa.example"}, "password": {"contact-password-1"}}); p.Status != 403 {
		t.Errorf("a sign-in without the form token: %d", p.Status)
	}

	p := b.Post("/portal/login", url.Values{"csrf": {token}, "email": {"ana@alfa.example"}, "password": {"contact-password-1"}})
	cookie := strings.Join(p.Header.Values("Set-Cookie"), "; ")
	if p.Status != http.StatusSeeOther || !strings.Contains(cookie, "facturo_session=") || !strings.Contains(cookie, "HttpOnly") ||
		!strings.Contains(cookie, "SameSite=Lax") || !strings.Contains(cookie, "Path=/portal") {
		t.Fatalf("sign-in: %d, cookie %q", p.Status, cookie)
	}
	a, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	bInv, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedB)
	list := b.Get("/portal/invoices")
	if list.Status != 200 || !strings.Contains(list.Body, a.GetString("number")) || strings.Contains(list.Body, bInv.GetString("number")) || strings.Contains(list.Body, apptest.DraftA) {
		t.Errorf("the list shows other customers' invoices or drafts, or not its own: %d", list.Status)
	}

	if p := b.Post("/portal/logout", url.Values{}); p.Status != 403 {
		t.Errorf("a sign-out without the form token: %d", p.Status)
	}
	if p := b.Post("/portal/logout", url.Values{"csrf": {b.CSRF("/portal/")}}); p.Status != http.StatusSeeOther {
		t.Errorf("sign-out: %d", p.Status)
	}
	if p := b.Get("/portal/"); p.Status != http.StatusSeeOther {
		t.Errorf("the portal after signing out: %d", p.Status)
	}
}

func TestSignInAttemptsAreLimited(t *testing.T) {
	app := apptest.New(t)
	b := newBrowser(t, apptest.Serve(t, app))
	token := b.CSRF("/portal/login")
	var last apptest.Page
	for range 11 {
		last = b.Post("/portal/login", url.Values{"csrf": {token}, "email": {"ana@alfa.example"}, "password": {"guess"}})
	}
	if last.Status != http.StatusTooManyRequests {
		t.Errorf("the 11th attempt in a row: %d", last.Status)
	}
}

func TestInvoicePagesShowOnlyTheCustomersOwn(t *testing.T) {
	app := apptest.New(t)
	b := newBrowser(t, apptest.Serve(t, app))
	b.signIn("ana@alfa.example")
	a, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)

	if p := b.Get("/portal/invoices/" + apptest.IssuedA); p.Status != 200 || !strings.Contains(p.Body, a.GetString("number")) || !strings.Contains(p.Body, "Consultoría") {
		t.Errorf("its own invoice: %d", p.Status)
	}
	for _, id := range []string{apptest.IssuedB, apptest.DraftA, "nosuchinvoice00"} {
		for _, suffix := range []string{"", "/pdf"} {
			if p := b.Get("/portal/invoices/" + id + suffix); p.Status != 404 {
				t.Errorf("%s%s: %d, want 404", id, suffix, p.Status)
			}
		}
	}
	for _, id := range []string{apptest.IssuedB, apptest.DraftA} {
		form := url.Values{"csrf": {b.CSRF("/portal/invoices/" + apptest.IssuedA)}, "action": {"accept"}}
		if p := b.Post("/portal/invoices/"+id+"/respond", form); p.Status != 404 {
			t.Errorf("answering %s: %d, want 404", id, p.Status)
		}
	}
	if inv, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedB); inv.GetString("response") != "none" {
		t.Errorf("contact A answered customer B's invoice")
	}
	pdf := b.Get("/portal/invoices/" + apptest.IssuedA + "/pdf")
	if pdf.Status != 200 || !strings.HasPrefix(pdf.Body, "%PDF-") {
		t.Errorf("the PDF: %d", pdf.Status)
	}
	if n, _ := app.CountRecords(invoicing.Events, dbx.HashExp{"invoice": apptest.IssuedA, "type": "downloaded", "actor": apptest.ContactA}); n != 1 {
		t.Errorf("%d downloaded events by the contact, want 1", n)
	}
	csv := b.Get("/portal/exports/invoices.csv?customer=" + apptest.CustomerB)
	if csv.Status != 200 || !strings.Contains(csv.Body, a.GetString("number")) || strings.Count(csv.Body, "\n") != 3 {
		t.Errorf("the export: %d\n%s", csv.Status, csv.Body)
	}
}

func TestApproverAnswersFromTheInvoicePage(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	path := "/portal/invoices/" + apptest.IssuedA
	form := url.Values{"action": {"reject"}, "reason": {"PRI"}, "correction": {"CNP"}, "note": {"Precio distinto del presupuesto"}}

	viewer := newBrowser(t, base)
	viewer.signIn("victor@alfa.example")
	form.Set("csrf", viewer.CSRF(path))
	if p := viewer.Post(path+"/respond", form); p.Status != 403 {
		t.Errorf("a viewer's answer: %d", p.Status)
	}

	approver := newBrowser(t, base)
	approver.signIn("ana@alfa.example")
	// A rejection without its reason is refused in the contact's language.
	noReason := url.Values{"csrf": {approver.CSRF(path)}, "action": {"reject"}}
	if p := approver.Post(path+"/respond", noReason); p.Status != 400 || !strings.Contains(p.Body, "Un rechazo necesita su motivo: elíjalo en la lista.") {
		t.Errorf("a rejection without its reason: %d, not said in Spanish", p.Status)
	}
	form.Del("csrf")
	if p := approver.Post(path+"/respond", form); p.Status != 403 {
		t.Errorf("an answer without the form token: %d", p.Status)
	}
	if inv, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA); inv.GetString("response") != "none" {
		t.Fatalf("refused answers changed the invoice: %s", inv.GetString("response"))
	}
	form.Set("csrf", approver.CSRF(path))
	p := approver.Post(path+"/respond", form)
	if p.Status != http.StatusSeeOther || !strings.HasSuffix(p.Header.Get("Location"), "?done=1") {
		t.Fatalf("the answer: %d %s", p.Status, p.Body)
	}
	inv, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	if inv.GetString("response") != "rejected" || inv.GetString("response_by") != apptest.ContactA || inv.GetString("response_reason") != "PRI" {
		t.Errorf("the invoice: %v", inv.FieldsData())
	}
	if after := approver.Get(path + "?done=1"); !strings.Contains(after.Body, "Respuesta registrada") || !strings.Contains(after.Body, "Rechazada") {
		t.Errorf("the page after answering does not confirm it or show it on the history")
	}
}

// TestFirstScreenChartsTheCustomersHistory checks the figures, and that
// both charts are drawn in the page itself, with no script: an image with a
// text alternative, tooltips on the bars, and the figures as a table.
func TestFirstScreenChartsTheCustomersHistory(t *testing.T) {
	app := apptest.New(t)
	b := newBrowser(t, apptest.Serve(t, app))
	b.signIn("ana@alfa.example")
	home := b.Get("/portal/")
	// Invoice A: 121,00 € of which 21,00 € paid.
	for _, want := range []string{"100,00 €", "121,00 €", `id="chartMonthly"`, `id="chartAgeing"`, "Pagado", "Pendiente",
		`role="img" aria-label="Facturado por mes: gráfico de barras`, `· Pagado: 21,00 €</title>`, `· Pendiente: 100,00 €</title>`,
		`<summary>Ver las cifras</summary>`, `<th scope="col">Mes</th>`, `<th scope="row">Sin vencer</th>`,
	} {
		if !strings.Contains(home.Body, want) {
			t.Errorf("the first screen lacks %q", want)
		}
	}
	if strings.Contains(home.Body, "<script") {
		t.Error("the first screen loads or runs a script")
	}
	if p := b.Get("/portal/?months=12"); p.Status != 200 || !strings.Contains(p.Body, `<option value="12" selected>`) {
		t.Errorf("the period selector: %d", p.Status)
	}
}

// TestPagesAndAssetsTravelCompressedAndCached: pages and static files are
// gzipped for browsers that take it (and only for those), fingerprinted
// files may be kept a year and others are checked again, pages are never
// kept, and /favicon.ico exists.
func TestPagesAndAssetsTravelCompressedAndCached(t *testing.T) {
	app := apptest.New(t)
	b := newBrowser(t, apptest.Serve(t, app))
	b.signIn("ana@alfa.example")
	get := func(path, encoding string) apptest.Page {
		req, _ := http.NewRequest("GET", b.Base+path, nil)
		req.Header.Set("Accept-Encoding", encoding) // set by hand, Go's client leaves the body as sent
		return b.Do(req)
	}
	gunzip := func(p apptest.Page) string {
		r, err := gzip.NewReader(strings.NewReader(p.Body))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r)
		return string(body)
	}

	icon := ui.Static("favicon.ico")
	kept := get(ui.Asset("favicon.ico"), "gzip, deflate, br")
	if kept.Status != 200 || kept.Body != string(icon.Body) || !strings.Contains(kept.Header.Get("Cache-Control"), "max-age=31536000") ||
		!strings.Contains(kept.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("the fingerprinted icon: %d %v", kept.Status, kept.Header)
	}
	if old := get(ui.StaticPath+"favicon.ico?v=0123456789ab", "gzip"); old.Status != 200 || strings.Contains(old.Header.Get("Cache-Control"), "max-age=31536000") {
		t.Errorf("a stale fingerprint may be kept a year: %d %q", old.Status, old.Header.Get("Cache-Control"))
	}
	req, _ := http.NewRequest("GET", b.Base+ui.Asset("favicon.ico"), nil)
	req.Header.Set("If-None-Match", `"`+icon.Hash+`"`)
	if again := b.Do(req); again.Status != http.StatusNotModified {
		t.Errorf("a file the browser has: %d", again.Status)
	}
	if missing := get(ui.StaticPath+"nothing.js", "gzip"); missing.Status != http.StatusNotFound {
		t.Errorf("a file that is not there: %d", missing.Status)
	}

	home := get("/portal/", "gzip")
	if home.Status != 200 || home.Header.Get("Content-Encoding") != "gzip" || home.Header.Get("Cache-Control") != "private, no-store" ||
		!strings.Contains(gunzip(home), `id="chartMonthly"`) {
		t.Errorf("the first screen: %d %v", home.Status, home.Header)
	}
	if plain := get("/portal/", ""); plain.Header.Get("Content-Encoding") != "" || !strings.Contains(plain.Body, `id="chartMonthly"`) {
		t.Errorf("the first screen to a browser without gzip: %q", plain.Header.Get("Content-Encoding"))
	}
	if refused := get("/portal/", "gzip;q=0, identity"); refused.Header.Get("Content-Encoding") != "" {
		t.Error("gzip was sent to a browser that refused it")
	}
	if !slices.Contains(home.Header.Values("Vary"), "Accept-Encoding") {
		t.Errorf("a gzipped page does not vary by encoding: %v", home.Header.Values("Vary"))
	}

	root := get("/favicon.ico", "gzip")
	if root.Status != 200 || root.Header.Get("Content-Type") != "image/vnd.microsoft.icon" || !strings.HasPrefix(root.Body, "\x00\x00\x01\x00") {
		t.Errorf("/favicon.ico: %d %q", root.Status, root.Header.Get("Content-Type"))
	}
	if !strings.Contains(gunzip(home), `<link rel="icon" href="`+ui.Asset("favicon.ico")+`">`) {
		t.Error("the pages do not name their icon")
	}
}

// TestListSearchesFiltersAndPages issues enough invoices for two pages and
// checks search, amount and order filters, and that page links keep them.
// issueParts issues n one-line invoices to customer A: "Pieza i" at
// 10 + i euros plus 21 % VAT.
func issueParts(t *testing.T, app core.App, n int) {
	t.Helper()
	col, _ := app.FindCollectionByNameOrId(invoicing.Invoices)
	for i := range n {
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
}

func TestListSearchesFiltersAndPages(t *testing.T) {
	app := apptest.New(t)
	issueParts(t, app, 54)
	b := newBrowser(t, apptest.Serve(t, app))
	b.signIn("ana@alfa.example")
	rows := regexp.MustCompile(`<tr><td><a href="/portal/invoices/`)

	first := b.Get("/portal/invoices?q=Pieza")
	if n := len(rows.FindAllString(first.Body, -1)); n != 50 || !strings.Contains(first.Body, "page=2") || !strings.Contains(first.Body, "q=Pieza") {
		t.Fatalf("first page: %d rows, next link kept the search: %v", n, strings.Contains(first.Body, "q=Pieza&amp;page=2"))
	}
	if n := len(rows.FindAllString(b.Get("/portal/invoices?q=Pieza&page=2").Body, -1)); n != 4 {
		t.Errorf("second page: %d rows, want 4", n)
	}
	if n := len(rows.FindAllString(b.Get("/portal/invoices?q=Pieza+53").Body, -1)); n != 1 {
		t.Errorf("search by a line description: %d rows, want 1", n)
	}
	// Totals are 1.21 × (10…63): 70 € to 76,30 € are the prices 58 to 63
	// (70,18 € … 76,23 €); invoice A's 121 € is above.
	if n := len(rows.FindAllString(b.Get("/portal/invoices?min=70&max=76,30").Body, -1)); n != 6 {
		t.Errorf("amount range: %d rows, want 6", n)
	}
	largest := b.Get("/portal/invoices?sort=-total")
	if i, j := strings.Index(largest.Body, "76,23 €"), strings.Index(largest.Body, "75,02 €"); i < 0 || j < 0 || i > j {
		t.Errorf("largest first: 76,23 € at %d, 75,02 € at %d", i, j)
	}
	if p := b.Get("/portal/invoices?from=nonsense&min=lots"); p.Status != 200 {
		t.Errorf("unreadable filters are refused (%d) instead of left out", p.Status)
	}
}

// TestSignInFromTheEmailedLinkLandsOnTheInvoice follows the view page's
// offer to sign in, and refuses to be sent to another site.
func TestSignInFromTheEmailedLinkLandsOnTheInvoice(t *testing.T) {
	app := apptest.New(t)
	b := newBrowser(t, apptest.Serve(t, app))
	next := "/portal/invoices/" + apptest.IssuedA
	login := b.Get("/portal/login?next=" + url.QueryEscape(next))
	if !strings.Contains(login.Body, `name="next" value="`+next+`"`) {
		t.Fatalf("the sign-in page does not carry where to go next")
	}
	p := b.Post("/portal/login", url.Values{"csrf": {b.CSRF("/portal/login")}, "email": {"ana@alfa.example"}, "password": {"contact-password-1"}, "next": {next}})
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != next {
		t.Errorf("after signing in: %d to %q, want %s", p.Status, p.Header.Get("Location"), next)
	}
	for _, evil := range []string{"https://evil.example/portal/", "//evil.example/portal/", "/portal/\\evil.example", "/api/collections/contacts/records"} {
		other := newBrowser(t, b.Base)
		p := other.Post("/portal/login", url.Values{"csrf": {other.CSRF("/portal/login")}, "email": {"ana@alfa.example"}, "password": {"contact-password-1"}, "next": {evil}})
		if p.Header.Get("Location") != "/portal/" {
			t.Errorf("next=%q sent the browser to %q", evil, p.Header.Get("Location"))
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
	token := b.CSRF("/portal/profile")

	if p := b.Post("/portal/profile", url.Values{"csrf": {token}, "name": {"Ana"}, "language": {"en"}, "password": {"new-password-2"}, "current": {"wrong"}}); p.Status != 400 || !strings.Contains(p.Body, "contraseña actual") {
		t.Errorf("a password change with a wrong current password: %d", p.Status)
	}
	if p := b.Post("/portal/profile", url.Values{"name": {"Ana"}}); p.Status != 403 {
		t.Errorf("a change without the form token: %d", p.Status)
	}
	p := b.Post("/portal/profile", url.Values{"csrf": {token}, "name": {"Ana García"}, "language": {"en"}, "password": {"new-password-2"}, "current": {"contact-password-1"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("saving the profile: %d %s", p.Status, p.Body)
	}
	contact, _ := app.FindRecordById(invoicing.Contacts, apptest.ContactA)
	if contact.GetString("name") != "Ana García" || contact.GetString("language") != "en" || !contact.ValidatePassword("new-password-2") {
		t.Errorf("the contact: %v", contact.FieldsData())
	}
	if page := b.Get("/portal/profile?saved=1"); page.Status != 200 || !strings.Contains(page.Body, "Details saved") {
		t.Errorf("the session did not survive the password change, or the page is not in English: %d", page.Status)
	}
	fresh := newBrowser(t, base)
	if p := fresh.Post("/portal/login", url.Values{"csrf": {fresh.CSRF("/portal/login")}, "email": {"ana@alfa.example"}, "password": {"new-password-2"}}); p.Status != http.StatusSeeOther {
		t.Errorf("signing in with the new password: %d", p.Status)
	}
}

// waitForMail waits for the test mailer to have sent n messages (PocketBase
// sends these emails in the background).
func waitForMail(t *testing.T, app *tests.TestApp, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); apptest.MailCount(t, app) < n && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if apptest.MailCount(t, app) != n {
		t.Fatalf("%d emails sent, want %d", apptest.MailCount(t, app), n)
	}
}

// TestSignInWithAnEmailedCode asks for a code, reads it from the email, and
// signs in with it; a wrong code and a second use are refused, and an
// unknown address reads the same and gets no email.
func TestSignInWithAnEmailedCode(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)

	stranger := newBrowser(t, base)
	unknown := stranger.Post("/portal/code", url.Values{"csrf": {stranger.CSRF("/portal/code")}, "email": {"nobody@alfa.example"}})

	b := newBrowser(t, base)
	known := b.Post("/portal/code", url.Values{"csrf": {b.CSRF("/portal/code")}, "email": {"ana@alfa.example"}})
	if known.Status != 200 || unknown.Status != 200 || !strings.Contains(known.Body, `name="code"`) || !strings.Contains(unknown.Body, `name="code"`) {
		t.Fatalf("asking for a code: %d and %d", known.Status, unknown.Status)
	}
	waitForMail(t, app, 1)
	code := regexp.MustCompile(`<strong>(\d+)</strong>`).FindStringSubmatch(apptest.LastMail(t, app).HTML)
	if code == nil || apptest.LastMail(t, app).To[0].Address != "ana@alfa.example" {
		t.Fatalf("no code in the email: %q", apptest.LastMail(t, app).HTML)
	}
	token := b.CSRF("/portal/code")
	if p := b.Post("/portal/code/verify", url.Values{"csrf": {token}, "code": {"00000000"}}); p.Status != 401 {
		t.Errorf("a wrong code: %d", p.Status)
	}
	if p := b.Post("/portal/code/verify", url.Values{"csrf": {token}, "code": {code[1]}}); p.Status != http.StatusSeeOther {
		t.Fatalf("the right code: %d %s", p.Status, p.Body)
	}
	if p := b.Get("/portal/invoices"); p.Status != 200 {
		t.Errorf("signed in with the code, the list answers %d", p.Status)
	}
	again := newBrowser(t, base)
	again.Client.Jar.SetCookies(mustURL(t, base+"/portal/"), b.Client.Jar.Cookies(mustURL(t, base+"/portal/")))
	if p := again.Post("/portal/code/verify", url.Values{"csrf": {token}, "code": {code[1]}}); p.Status != 401 {
		t.Errorf("a code used twice: %d", p.Status)
	}
	time.Sleep(100 * time.Millisecond)
	if apptest.MailCount(t, app) != 1 {
		t.Errorf("an unknown address got an email")
	}
}

// TestForgottenPasswordSendsAResetLink sends the reset email to a known
// contact only, with the same page for both; its link leads to the
// portal's page to choose a new password, which signs the contact in and
// ends their other sessions.
func TestForgottenPasswordSendsAResetLink(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	elsewhere := newBrowser(t, base)
	elsewhere.signIn("ana@alfa.example")
	b := newBrowser(t, base)
	token := b.CSRF("/portal/forgot")
	unknown := b.Post("/portal/forgot", url.Values{"csrf": {token}, "email": {"nobody@alfa.example"}})
	known := b.Post("/portal/forgot", url.Values{"csrf": {token}, "email": {"ana@alfa.example"}})
	if unknown.Status != 200 || known.Status != 200 || unknown.Body != known.Body {
		t.Errorf("the answers differ: %d and %d", unknown.Status, known.Status)
	}
	waitForMail(t, app, 1)
	m := apptest.LastMail(t, app)
	link := regexp.MustCompile(`/portal/password\?token=[^"<\s]+`).FindString(m.HTML)
	if m.To[0].Address != "ana@alfa.example" || link == "" {
		t.Fatalf("the reset email: %q", m.HTML)
	}
	query, _ := url.ParseQuery(strings.SplitN(link, "?", 2)[1])
	form := url.Values{"csrf": {b.CSRF(link)}, "token": {query.Get("token")}, "password": {"short"}, "confirm": {"short"}}
	if p := b.Post("/portal/password", form); p.Status != http.StatusBadRequest {
		t.Errorf("a 5-letter password: %d", p.Status)
	}
	form.Set("password", "a-new-password-9")
	form.Set("confirm", "a-new-password-9")
	if p := b.Post("/portal/password", form); p.Status != http.StatusSeeOther {
		t.Fatalf("choosing a new password: %d %s", p.Status, p.Body)
	}
	if p := b.Post("/portal/password", form); p.Status != http.StatusBadRequest {
		t.Errorf("the same link a second time: %d", p.Status)
	}
	if p := elsewhere.Get("/portal/"); p.Status != http.StatusSeeOther {
		t.Errorf("a session from before the new password: %d", p.Status)
	}
	other := newBrowser(t, base)
	other.SignIn("/portal/login", "ana@alfa.example", "a-new-password-9", "/portal/")
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
	if p := b.Post(path+"/respond", url.Values{"csrf": {b.CSRF(path)}, "action": {"query"}, "note": {"¿Cuál es el número de pedido?"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("the question: %d", p.Status)
	}
	if _, err := mail.Answer(app, apptest.IssuedA, "Es el pedido 4711.", invoicing.Actor{Email: apptest.StaffEmail}); err != nil {
		t.Fatal(err)
	}
	page := b.Get(path).Body
	for _, want := range []string{"¿Cuál es el número de pedido?", "Es el pedido 4711.", "Respuesta de la empresa"} {
		if !strings.Contains(page, want) {
			t.Errorf("the history lacks %q", want)
		}
	}
	if strings.Contains(page, apptest.StaffEmail) {
		t.Error("the history names the firm's staff member")
	}
}

// TestTheFirmsOwnDownloadsAreNotTheCustomers downloads an invoice's PDF and
// its e-invoice as staff, through every door the firm has (REST, and the
// workspace's pages): the customer's history on the portal shows none of
// them as theirs; the contact's own download does show, with its author.
func TestTheFirmsOwnDownloadsAreNotTheCustomers(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	// An invoice to a customer with an address, which e-invoices need.
	customer, _ := app.FindRecordById(invoicing.Customers, apptest.CustomerA)
	customer.Load(map[string]any{"address": "Calle Mayor 2", "city": "Burgos", "postal_code": "09001", "province": "Burgos"})
	if err := app.Save(customer); err != nil {
		t.Fatal(err)
	}
	inv, err := invoicing.Issue(app, apptest.DraftA, invoicing.Actor{Email: apptest.StaffEmail})
	if err != nil {
		t.Fatal(err)
	}
	staff := apptest.NewBrowser(t, base)
	staff.SignIn("/app/login", apptest.StaffEmail, "staff-password-1", "/app/")
	for _, door := range []struct {
		name string
		get  func() int
	}{
		{"the REST PDF", func() int {
			return apptest.Call(t, "GET", base+"/api/invoices/"+inv.Id+"/pdf", apptest.Tokens.Staff, "").Status
		}},
		{"the REST CII", func() int {
			return apptest.Call(t, "GET", base+"/api/invoices/"+inv.Id+"/cii.xml", apptest.Tokens.Staff, "").Status
		}},
		{"the workspace's PDF", func() int { return staff.Get("/app/invoices/" + inv.Id + "/pdf").Status }},
		{"the workspace's CII", func() int { return staff.Get("/app/invoices/" + inv.Id + "/cii.xml").Status }},
	} {
		if status := door.get(); status != 200 {
			t.Fatalf("staff's download through %s: %d", door.name, status)
		}
	}
	if n, _ := app.CountRecords(invoicing.Events, dbx.HashExp{"invoice": inv.Id, "type": invoicing.EventDownloaded}); n != 4 {
		t.Fatalf("%d downloads logged, want the firm's 4", n)
	}
	b := newBrowser(t, base)
	b.signIn("ana@alfa.example")
	downloaded := []string{ui.T("es", "portal.event.downloaded"), ui.T("es", "portal.event.downloaded_einvoice")}
	page := b.Get("/portal/invoices/" + inv.Id)
	for _, s := range append(downloaded, apptest.StaffEmail) {
		if strings.Contains(page.Body, s) {
			t.Errorf("the portal shows the firm's download as the customer's (%q)", s)
		}
	}
	b.Get("/portal/invoices/" + inv.Id + "/pdf")
	if page := b.Get("/portal/invoices/" + inv.Id); strings.Count(page.Body, downloaded[0]) != 1 || !strings.Contains(page.Body, "ana@alfa.example") {
		t.Errorf("the contact's own download is not shown once with its author")
	}
}

// TestRootLeadsToSignIn: the server's root sends a visitor to the portal,
// which sends them on to its sign-in page, rather than a JSON 404.
func TestRootLeadsToSignIn(t *testing.T) {
	app := apptest.New(t)
	b := newBrowser(t, apptest.Serve(t, app))
	if p := b.Get("/"); p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/portal/" {
		t.Errorf("the root: %d %s", p.Status, p.Header.Get("Location"))
	}
	if p := b.Get("/portal/"); p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/portal/login" {
		t.Errorf("the portal: %d %s", p.Status, p.Header.Get("Location"))
	}
}
