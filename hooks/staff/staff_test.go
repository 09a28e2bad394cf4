package staff_test

import (
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/clock"
	"facturo/ui"
)

func TestMain(m *testing.M) { os.Exit(apptest.Run(m)) }

const staffPassword = "staff-password-1"

// signedIn is a browser signed in to the workspace as the fixture's staff.
func signedIn(t *testing.T, base string) *apptest.Browser {
	b := apptest.NewBrowser(t, base)
	b.SignIn("/app/login", apptest.StaffEmail, staffPassword, "/app/")
	return b
}

// staffPages are the workspace's pages, with the fixture's ids.
var staffPages = []string{
	"/app/", "/app/invoices", "/app/invoices?state=overdue", "/app/invoices/" + apptest.IssuedA, "/app/invoices/" + apptest.DraftA,
	"/app/invoices/" + apptest.IssuedA + "/pdf", "/app/customers", "/app/customers/" + apptest.CustomerA, "/app/inbox",
	"/app/exports/invoices.csv", "/app/exports/invoices.zip?format=ubl", "/app/exports/lines.xlsx", "/app/exports/payments.csv", "/app/exports/events.xlsx",
	"/app/import", "/app/import/template.csv", "/app/import/template.xlsx", "/app/webhooks", "/app/bank", "/app/reminders",
	"/app/customers/" + apptest.CustomerA + "/statement.pdf", "/app/verifactu",
	"/app/invoices/new", "/app/customers/new", "/app/products", "/app/products/new", "/app/recurring", "/app/recurring/new", "/app/settings", "/app/setup", "/app/quotes", "/app/quotes/new",
}

// staffForms are the workspace's forms.
var staffForms = []string{
	"/app/invoices/" + apptest.IssuedA + "/send", "/app/invoices/" + apptest.IssuedA + "/answer",
	"/app/invoices/" + apptest.IssuedA + "/rectify", "/app/invoices/" + apptest.IssuedA + "/payment",
	"/app/invoices/" + apptest.DraftA + "/issue", "/app/customers/" + apptest.CustomerA + "/invite",
	"/app/customers/" + apptest.CustomerA + "/bounce-cleared", "/app/import",
	"/app/webhooks", "/app/webhooks/anything/ping", "/app/webhook-deliveries/anything/retry",
	"/app/bank", "/app/bank/movements/anything/confirm", "/app/reminders/run", "/app/customers/" + apptest.CustomerA + "/interest-draft",
	"/app/invoices/" + apptest.IssuedB + "/void", "/app/verifactu/settings", "/app/verifactu/send",
	"/app/verifactu/records/anything/correct", "/app/verifactu/records/anything/review",
	"/app/recurring/new", "/app/quotes/new", "/app/settings/profile", "/app/settings/public-url", "/app/settings/mail", "/app/settings/mail/test",
	"/app/settings/mailbox", "/app/settings/staff", "/app/settings/staff/anything/remove",
}

// TestOnlyStaffGetIn: a guest, a contact signed in to the portal, a contact
// whose token is put in the workspace's cookie, and a contact's API token
// are all sent to sign in; forms refuse them, and refuse staff without the
// form token.
func TestOnlyStaffGetIn(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)

	guest := apptest.NewBrowser(t, base)
	contact := apptest.NewBrowser(t, base)
	contact.SignIn("/portal/login", "ana@alfa.example", "contact-password-1", "/portal/")
	forged := apptest.NewBrowser(t, base)
	u, _ := url.Parse(base + "/app/")
	forged.Client.Jar.SetCookies(u, []*http.Cookie{{Name: "facturo_staff_session", Value: apptest.Tokens.ContactA, Path: "/app"}})

	for _, path := range staffPages {
		for name, b := range map[string]*apptest.Browser{"a guest": guest, "a portal contact": contact, "a contact's token as the cookie": forged} {
			p := b.Get(path)
			if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/app/login?next=") {
				t.Errorf("%s on %s: %d to %q", name, path, p.Status, p.Header.Get("Location"))
			}
		}
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.Header.Set("Authorization", apptest.Tokens.ContactA)
		if p := guest.Do(req); p.Status != http.StatusSeeOther {
			t.Errorf("a contact's API token on %s: %d", path, p.Status)
		}
	}
	staff := signedIn(t, base)
	token := staff.CSRF("/app/")
	for _, path := range staffForms {
		if p := guest.Post(path, url.Values{"csrf": {token}}); p.Status != http.StatusUnauthorized || p.Body != ui.T(ui.DefaultLang, "form.sign_in_first") {
			t.Errorf("a guest posting to %s: %d %q", path, p.Status, p.Body)
		}
		if p := contact.Post(path, url.Values{"csrf": {contact.CSRF("/portal/")}}); p.Status != http.StatusUnauthorized {
			t.Errorf("a contact posting to %s: %d", path, p.Status)
		}
		if p := staff.Post(path, url.Values{}); p.Status != http.StatusForbidden || p.Body != ui.T("es", "form.stale") {
			t.Errorf("staff posting to %s without the form token: %d %q", path, p.Status, p.Body)
		}
	}
	for _, path := range staffPages {
		if p := staff.Get(path); p.Status != http.StatusOK {
			t.Errorf("staff on %s: %d", path, p.Status)
		}
	}
}

func TestStaffSignInAndOut(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := apptest.NewBrowser(t, base)
	token := b.CSRF("/app/login")
	wrong := b.Post("/app/login", url.Values{"csrf": {token}, "email": {apptest.StaffEmail}, "password": {"nope"}})
	unknown := b.Post("/app/login", url.Values{"csrf": {token}, "email": {"nobody@firm.example"}, "password": {"nope"}})
	if wrong.Status != 401 || unknown.Status != 401 ||
		strings.Replace(wrong.Body, apptest.StaffEmail, "", 1) != strings.Replace(unknown.Body, "nobody@firm.example", "", 1) {
		t.Errorf("a wrong password and an unknown address: %d and %d, or different pages", wrong.Status, unknown.Status)
	}
	// A contact's password does not open the workspace.
	if p := b.Post("/app/login", url.Values{"csrf": {token}, "email": {"ana@alfa.example"}, "password": {"contact-password-1"}}); p.Status != 401 {
		t.Errorf("a contact signing in to the workspace: %d", p.Status)
	}
	p := b.Post("/app/login", url.Values{"csrf": {token}, "email": {apptest.StaffEmail}, "password": {staffPassword}, "next": {"/app/customers"}})
	cookie := strings.Join(p.Header.Values("Set-Cookie"), "; ")
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/app/customers" ||
		!strings.Contains(cookie, "facturo_staff_session=") || !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "Path=/app") {
		t.Fatalf("sign-in: %d to %q, cookie %q", p.Status, p.Header.Get("Location"), cookie)
	}
	if p := b.Post("/app/logout", url.Values{"csrf": {b.CSRF("/app/")}}); p.Status != http.StatusSeeOther {
		t.Errorf("sign-out: %d", p.Status)
	}
	if p := b.Get("/app/"); p.Status != http.StatusSeeOther {
		t.Errorf("the workspace after signing out: %d", p.Status)
	}
}

// attentionCount reads the count of one "needs action" card of the overview.
func attentionCount(t *testing.T, page, label string) string {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(label) + `</div><div class="value">(\d+)</div>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no %q card on the overview", label)
	}
	return m[1]
}

// TestOverviewCountsWhatNeedsAction: each list of the overview counts the
// invoices in it, and each list shows them.
func TestOverviewCountsWhatNeedsAction(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	a, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	bInv, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedB)

	home := b.Get("/app/?lang=en").Body
	if n := attentionCount(t, home, "Drafts to issue"); n != "2" {
		t.Errorf("drafts to issue: %s, the fixture has 2", n)
	}
	for _, label := range []string{"Bounced", "Rejected, correction asked", "Queries not answered", "Unmatched mail"} {
		if n := attentionCount(t, home, label); n != "0" {
			t.Errorf("%s before anything happened: %s", label, n)
		}
	}

	contactA, _ := app.FindRecordById(invoicing.Contacts, apptest.ContactA)
	contactB, _ := app.FindRecordById(invoicing.Contacts, apptest.ContactB)
	if _, err := invoicing.SetDelivery(app, a.Id, "bounced", invoicing.Actor{}, map[string]any{"diagnostic": "550 5.1.1 user unknown"}); err != nil {
		t.Fatal(err)
	}
	if _, err := invoicing.Respond(app, a.Id, invoicing.Response{Action: "reject", Reason: "PRI", Correction: "CNP", Note: "El precio"}, invoicing.Actor{Contact: contactA, Email: contactA.Email()}); err != nil {
		t.Fatal(err)
	}
	if _, err := invoicing.Respond(app, bInv.Id, invoicing.Response{Action: "query", Note: "¿Pedido?"}, invoicing.Actor{Contact: contactB, Email: contactB.Email()}); err != nil {
		t.Fatal(err)
	}
	inbound, _ := app.FindCollectionByNameOrId("inbound")
	stray := core.NewRecord(inbound)
	stray.Load(map[string]any{"kind": "other", "from": "someone@else.example", "subject": "Hola", "matched": false})
	if err := app.Save(stray); err != nil {
		t.Fatal(err)
	}

	home = b.Get("/app/?lang=en").Body
	for label, want := range map[string]string{"Bounced": "1", "Rejected, correction asked": "1", "Queries not answered": "1", "Unmatched mail": "1"} {
		if n := attentionCount(t, home, label); n != want {
			t.Errorf("%s: %s, want %s", label, n, want)
		}
	}
	for state, number := range map[string]string{"bounced": a.GetString("number"), "correction": a.GetString("number"), "unanswered": bInv.GetString("number")} {
		list := b.Get("/app/invoices?state=" + state).Body
		other := bInv.GetString("number")
		if number == other {
			other = a.GetString("number")
		}
		if !strings.Contains(list, number) || strings.Contains(list, other) {
			t.Errorf("the %s list does not show just %s", state, number)
		}
	}
	if inbox := b.Get("/app/inbox").Body; !strings.Contains(inbox, "someone@else.example") {
		t.Error("the unmatched mail is not listed")
	}

	// Answering the query takes it off the list.
	if p := b.Post("/app/invoices/"+bInv.Id+"/answer", url.Values{"csrf": {b.CSRF("/app/")}, "text": {"Es el pedido 4711."}}); p.Status != http.StatusSeeOther {
		t.Fatalf("answering: %d %s", p.Status, p.Body)
	}
	if n := attentionCount(t, b.Get("/app/?lang=en").Body, "Queries not answered"); n != "0" {
		t.Errorf("queries not answered after the answer: %s", n)
	}
}

// TestOverdueListsOnlyWhatIsOwed: a rectified invoice and its credit are
// past due too, but nobody owes them.
func TestOverdueListsOnlyWhatIsOwed(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	draft, err := invoicing.Rectify(app, apptest.IssuedA, "R1", "Precio equivocado")
	if err != nil {
		t.Fatal(err)
	}
	credit, err := invoicing.Issue(app, draft.Id, invoicing.Actor{})
	if err != nil {
		t.Fatal(err)
	}
	inAYear := clock.Now().AddDate(1, 0, 0).Sub(time.Now())
	defer clock.Set(func() time.Time { return time.Now().Add(inAYear) })()
	a, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	bInv, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedB)
	list := b.Get("/app/invoices?state=overdue").Body
	if !strings.Contains(list, bInv.GetString("number")) {
		t.Errorf("the overdue list misses %s", bInv.GetString("number"))
	}
	for _, r := range []*core.Record{a, credit} {
		if strings.Contains(list, ">"+r.GetString("number")+"<") {
			t.Errorf("the overdue list shows %s (%s, total %v)", r.GetString("number"), r.GetString("status"), r.GetFloat("total"))
		}
	}
}

// TestInvoiceActions: from an invoice's page staff record a payment (a bad
// amount is refused and writes nothing), send it again, rectify it and
// issue the rectifying draft.
func TestInvoiceActions(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	page := "/app/invoices/" + apptest.IssuedA
	token := b.CSRF(page)

	paymentsBefore, _ := app.CountRecords("payments", dbx.HashExp{"invoice": apptest.IssuedA})
	inv, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	paidBefore := inv.GetFloat("paid_total")
	bad := b.Post(page+"/payment", url.Values{"csrf": {token}, "amount": {"cien"}})
	if bad.Status != http.StatusBadRequest || !strings.Contains(bad.Body, `role="alert"`) {
		t.Errorf("a payment of \"cien\": %d", bad.Status)
	}
	over := b.Post(page+"/payment", url.Values{"csrf": {token}, "amount": {"500"}})
	if over.Status != http.StatusBadRequest || !strings.Contains(over.Body, "El cobro de 500,00 € supera los 100,00 € que aún se deben de la factura "+inv.GetString("number")+".") {
		t.Errorf("overpaying: %d, not said in Spanish", over.Status)
	}
	if n, _ := app.CountRecords("payments", dbx.HashExp{"invoice": apptest.IssuedA}); n != paymentsBefore {
		t.Fatalf("refused payments wrote %d rows", n-paymentsBefore)
	}
	if p := b.Post(page+"/payment", url.Values{"csrf": {token}, "amount": {"50,50"}, "paid_on": {apptest.Date(0)}, "method": {"transfer"}, "reference": {"TR-1"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("a payment: %d %s", p.Status, p.Body)
	}
	inv, _ = app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	if inv.GetFloat("paid_total") != paidBefore+50.5 || inv.GetString("payment") != "partial" {
		t.Errorf("after paying 50,50: paid %v, %s", inv.GetFloat("paid_total"), inv.GetString("payment"))
	}

	before, _ := app.CountRecords("messages", dbx.HashExp{"invoice": apptest.IssuedA})
	if p := b.Post(page+"/send", url.Values{"csrf": {token}}); p.Status != http.StatusSeeOther {
		t.Fatalf("sending again: %d %s", p.Status, p.Body)
	}
	if after, _ := app.CountRecords("messages", dbx.HashExp{"invoice": apptest.IssuedA}); after != before+1 {
		t.Errorf("sending again queued %d messages", after-before)
	}

	if p := b.Post(page+"/rectify", url.Values{"csrf": {token}, "code": {"R9"}, "reason": {"x"}}); p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "R1") {
		t.Errorf("rectifying with code R9: %d", p.Status)
	}
	p := b.Post(page+"/rectify", url.Values{"csrf": {token}, "code": {"R1"}, "reason": {"Precio equivocado"}})
	draftURL := p.Header.Get("Location")
	if p.Status != http.StatusSeeOther || draftURL == "" || strings.Contains(draftURL, apptest.IssuedA) {
		t.Fatalf("rectifying: %d to %q", p.Status, draftURL)
	}
	draftID := strings.TrimPrefix(strings.Split(draftURL, "?")[0], "/app/invoices/")
	if body := b.Get(draftURL).Body; !strings.Contains(body, "/app/invoices/"+draftID+"/issue") || !strings.Contains(body, inv.GetString("number")) {
		t.Error("the rectifying draft's page offers no issue button or does not name the invoice it rectifies")
	}
	if p := b.Post("/app/invoices/"+draftID+"/issue", url.Values{"csrf": {token}}); p.Status != http.StatusSeeOther {
		t.Fatalf("issuing the rectifying draft: %d %s", p.Status, p.Body)
	}
	credit, _ := app.FindRecordById(invoicing.Invoices, draftID)
	if credit.GetString("status") != "issued" || credit.GetString("number") == "" {
		t.Errorf("the rectifying invoice: %s %q", credit.GetString("status"), credit.GetString("number"))
	}
	timeline := b.Get(page + "?lang=en").Body
	for _, want := range []string{"Payment", "TR-1", "Issued"} {
		if !strings.Contains(timeline, want) {
			t.Errorf("the timeline lacks %q", want)
		}
	}
}

// TestTimelineLabelsWeakAndAutomatedSignals: the pixel's opened is a weak
// signal, a delivery report automated, a person's view neither.
func TestTimelineLabelsWeakAndAutomatedSignals(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	contactA, _ := app.FindRecordById(invoicing.Contacts, apptest.ContactA)
	if _, err := invoicing.MarkOpened(app, apptest.IssuedA, invoicing.Actor{Email: "billing@alfa.example", IP: "203.0.113.9"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := invoicing.SetDelivery(app, apptest.IssuedA, "delivered", invoicing.Actor{}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := invoicing.MarkViewed(app, apptest.IssuedA, invoicing.Actor{Contact: contactA, Email: contactA.Email(), IP: "203.0.113.10"}, nil); err != nil {
		t.Fatal(err)
	}
	body := b.Get("/app/invoices/" + apptest.IssuedA + "?lang=en").Body
	row := func(what string) string {
		m := regexp.MustCompile(`<tr><td[^>]*>[^<]*</td><td>` + what + `(.*?)</tr>`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no %s entry on the timeline", what)
		}
		return m[1]
	}
	if r := row("Opened"); !strings.Contains(r, "weak signal") || !strings.Contains(r, "203.0.113.9") {
		t.Errorf("the opened entry: %s", r)
	}
	if r := row("Delivered"); !strings.Contains(r, "automated") {
		t.Errorf("the delivered entry: %s", r)
	}
	if r := row("Viewed"); strings.Contains(r, "signal") || !strings.Contains(r, "ana@alfa.example") {
		t.Errorf("the viewed entry: %s", r)
	}
}

// TestInviteContact: inviting creates the contact and emails them a link
// to choose a password; a bad address is refused and creates nobody.
func TestInviteContact(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	page := "/app/customers/" + apptest.CustomerB
	token := b.CSRF(page)

	if p := b.Post(page+"/invite", url.Values{"csrf": {token}, "email": {"not an address"}, "role": {"viewer"}}); p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "email") {
		t.Errorf("inviting \"not an address\": %d", p.Status)
	}
	if n, _ := app.CountRecords(invoicing.Contacts, dbx.HashExp{"customer": apptest.CustomerB}); n != 1 {
		t.Fatalf("a refused invitation left %d contacts", n)
	}
	p := b.Post(page+"/invite", url.Values{"csrf": {token}, "email": {"new.person@beta.example"}, "name": {"New Person"}, "role": {"viewer"}, "language": {"en"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("inviting: %d %s", p.Status, p.Body)
	}
	contact, err := app.FindAuthRecordByEmail(invoicing.Contacts, "new.person@beta.example")
	if err != nil || contact.GetString("customer") != apptest.CustomerB || contact.GetString("role") != "viewer" || contact.GetString("language") != "en" {
		t.Fatalf("the invited contact: %v %v", contact, err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for apptest.MailCount(t, app) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	msg := apptest.LastMail(t, app)
	link := regexp.MustCompile(`/portal/password\?token=\S+`).FindString(msg.Text)
	if len(msg.To) != 1 || msg.To[0].Address != "new.person@beta.example" || link == "" {
		t.Fatalf("the invitation: to %v, text %q", msg.To, msg.Text)
	}
	// The link leads to the portal's page where the contact chooses a
	// password, and is then signed in; it works once.
	invited := apptest.NewBrowser(t, base)
	if p := invited.Get(link); p.Status != http.StatusOK || !strings.Contains(p.Body, "new.person@beta.example") {
		t.Fatalf("the invitation's page: %d", p.Status)
	}
	query, _ := url.ParseQuery(strings.SplitN(link, "?", 2)[1])
	form := url.Values{"csrf": {invited.CSRF(link)}, "token": {query.Get("token")}, "password": {"my-new-password"}, "confirm": {"my-new-passwrd"}}
	if p := invited.Post("/portal/password", form); p.Status != http.StatusBadRequest {
		t.Errorf("two different passwords: %d", p.Status)
	}
	form.Set("confirm", "my-new-password")
	if p := invited.Post("/portal/password", form); p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/portal/" {
		t.Fatalf("choosing the password: %d %s", p.Status, p.Body)
	}
	if p := invited.Get("/portal/"); p.Status != http.StatusOK {
		t.Errorf("the invited contact is not signed in: %d", p.Status)
	}
	if p := invited.Get(link); p.Status != http.StatusBadRequest {
		t.Errorf("the link after use: %d", p.Status)
	}
	apptest.NewBrowser(t, base).SignIn("/portal/login", "new.person@beta.example", "my-new-password", "/portal/")
	if body := b.Get(page).Body; !strings.Contains(body, "new.person@beta.example") {
		t.Error("the customer's page does not list the invited contact")
	}
}

func TestClearBouncingFlag(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	if _, err := invoicing.FlagBouncing(app, apptest.CustomerA, "550 5.1.1 user unknown"); err != nil {
		t.Fatal(err)
	}
	page := "/app/customers/" + apptest.CustomerA
	if body := b.Get(page).Body; !strings.Contains(body, "550 5.1.1 user unknown") {
		t.Error("the customer's page does not show why the address bounces")
	}
	if p := b.Post(page+"/bounce-cleared", url.Values{"csrf": {b.CSRF(page)}}); p.Status != http.StatusSeeOther {
		t.Fatalf("clearing the flag: %d", p.Status)
	}
	if c, _ := app.FindRecordById(invoicing.Customers, apptest.CustomerA); c.GetBool("email_bouncing") {
		t.Error("the flag is still set")
	}
}

// TestDraftsListForStaffOnly: staff list the drafts (an import's, say) to
// issue them; a contact cannot reach drafts through the export's filters.
func TestDraftsListForStaffOnly(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	a, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	list := b.Get("/app/invoices?state=draft").Body
	if !strings.Contains(list, "/app/invoices/"+apptest.DraftA) || !strings.Contains(list, "/app/invoices/"+apptest.DraftB) || strings.Contains(list, a.GetString("number")) {
		t.Error("the drafts list does not show just the drafts")
	}
	if p := apptest.Call(t, "GET", base+"/api/exports/invoices.csv?state=draft", apptest.Tokens.ContactA, ""); p.Status != http.StatusBadRequest {
		t.Errorf("a contact exporting state=draft: %d", p.Status)
	}
}
