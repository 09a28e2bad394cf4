package mail_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/mails"

	"facturo/hooks/invoicing"
	mailpkg "facturo/hooks/mail"
	"facturo/hooks/quotes"
	"facturo/hooks/remind"
	"facturo/internal/apptest"
	"facturo/internal/tracking"
)

// TestEveryEmailSpeaksSpanish: every e-mail the product writes to a
// Spanish customer, contact or firm (the invoice, its rectification, the
// answer to a query, the quote, each level of the payment
// reminders, alone and grouped, the sign-in code, the password link, the
// invitations, the notice of a customer's answer) says nothing in English
// and shows no catalogue key, in its subject, its text or its HTML.
func TestEveryEmailSpeaksSpanish(t *testing.T) {
	app := apptest.New(t)
	spanishWorld(t, app)
	contact, err := app.FindAuthRecordByEmail(invoicing.Contacts, "ana@alfa.example")
	must(t, err)
	staff, err := app.FindAuthRecordByEmail(core.CollectionNameSuperusers, apptest.StaffEmail)
	must(t, err)
	base := apptest.Serve(t, app)
	staffActor := invoicing.Actor{Email: apptest.StaffEmail}

	inv := issueA(t, app)
	queue(t, app, apptest.IssuedA)
	// A query from the customer, the firm's notice of it, and its answer.
	if r := apptest.Call(t, "POST", base+"/api/invoices/"+apptest.IssuedA+"/respond", apptest.Tokens.ContactA,
		`{"action":"query","note":"¿Incluye el transporte?"}`); r.Status != http.StatusOK {
		t.Fatalf("the query: %d %s", r.Status, r.Body)
	}
	if r := apptest.Call(t, "POST", base+"/api/invoices/"+inv.Id+"/respond", apptest.Tokens.ContactA,
		`{"action":"reject","reason":"PRI","correction":"CNF","note":"El precio no es el pactado."}`); r.Status != http.StatusOK {
		t.Fatalf("the rejection: %d %s", r.Status, r.Body)
	}
	_, err = mailpkg.Answer(app, apptest.IssuedA, "Sí, el transporte está incluido.", staffActor)
	must(t, err)
	// A factura rectificativa, and the invoice it corrects sent again.
	draft, err := invoicing.Rectify(app, inv.Id, "R1", "Precio erróneo")
	must(t, err)
	rectifying, err := invoicing.Issue(app, draft.Id, staffActor)
	must(t, err)
	queue(t, app, rectifying.Id)
	queue(t, app, inv.Id)
	_, err = mailpkg.QueueQuote(app, finishedQuote(t, app).Id, quotes.Actor{})
	must(t, err)
	must(t, mails.SendRecordOTP(app, contact, "otp-id", "12345678"))
	must(t, mails.SendRecordPasswordReset(app, contact))
	must(t, mailpkg.InviteContact(app, contact))
	must(t, mailpkg.InviteStaff(app, staff))

	// Each level of the reminders: the first ones about one invoice, the
	// last ones about both of customer A's, in one e-mail.
	due := findInvoice(t, app, apptest.IssuedA).GetDateTime("due_date").Time()
	levels, err := remind.LoadLevels(app)
	must(t, err)
	for i, level := range levels {
		if i == len(levels)-2 {
			setReminderGrouping(t, app, true)
			other := newInvoice(t, app, apptest.CustomerA, due)
			_, err := invoicing.Issue(app, other.Id, staffActor)
			must(t, err)
		}
		res, err := remind.Run(app, due.AddDate(0, 0, level.Days))
		must(t, err)
		if res.Messages == 0 {
			t.Fatalf("no reminder of level %q was queued: %+v", level.Name, res)
		}
	}

	msgs, err := app.FindRecordsByFilter(mailpkg.Messages, "", "created,id", 0, 0)
	must(t, err)
	kinds := map[string]int{}
	for _, m := range msgs {
		if strings.Contains(m.GetString("to"), "beta.example") {
			continue // customer B reads English
		}
		kinds[m.GetString("kind")]++
		l, err := mailpkg.Read(app, m.Id)
		if err != nil {
			t.Errorf("writing the %s e-mail %s: %v", m.GetString("kind"), m.Id, err)
			continue
		}
		what := l.Kind + " e-mail «" + l.Subject + "»"
		for part, text := range map[string]string{"subject": l.Subject, "text": l.Text} {
			for _, problem := range apptest.NotSpanishText(text) {
				t.Errorf("%s, its %s: %s", what, part, problem)
			}
		}
		for _, problem := range apptest.NotSpanish(l.HTML) {
			t.Errorf("%s, its HTML: %s", what, problem)
		}
	}
	for _, kind := range []string{"invoice", "answer", "quote", "reminder", "code", "password", "invite", "staff_invite", "notice"} {
		if kinds[kind] == 0 {
			t.Errorf("no %s e-mail was written: %v", kind, kinds)
		}
	}
	if kinds["reminder"] < len(levels) {
		t.Errorf("%d reminders for %d levels", kinds["reminder"], len(levels))
	}
}

// TestTheViewLinkSpeaksSpanish: the page a Spanish customer opens from the
// e-mailed link, for an invoice, its rectification and a voided invoice,
// and what the link says when it is broken or has expired, both for the
// page and for the download, are in Spanish.
func TestTheViewLinkSpeaksSpanish(t *testing.T) {
	app, _ := setup(t)
	spanishWorld(t, app)
	base := apptest.Serve(t, app)
	check := func(what string, status int, body []byte) {
		t.Helper()
		if status == http.StatusOK && !strings.Contains(string(body), "<html") {
			return // the PDF
		}
		if !strings.Contains(string(body), `lang="es"`) {
			t.Errorf("%s (%d) is not a Spanish page:\n%s", what, status, body)
		}
		for _, problem := range apptest.NotSpanish(string(body)) {
			t.Errorf("%s (%d): %s", what, status, problem)
		}
	}
	link := func(invoiceID string, expires time.Time) string {
		msg := queue(t, app, invoiceID)
		return signWithAppKey(t, app, tracking.Claims{Kind: tracking.KindView, MessageID: msg.Id, Recipient: "billing@alfa.example", Expires: expires})
	}
	staffActor := invoicing.Actor{Email: apptest.StaffEmail}
	draft, err := invoicing.Rectify(app, apptest.IssuedA, "R1", "Precio erróneo")
	must(t, err)
	rectifying, err := invoicing.Issue(app, draft.Id, staffActor)
	must(t, err)
	voided := issueA(t, app)
	links := map[string]string{
		"the invoice's page":        link(apptest.IssuedA, time.Now().Add(time.Hour)),
		"the rectification's page":  link(rectifying.Id, time.Now().Add(time.Hour)),
		"the voided invoice's page": link(voided.Id, time.Now().Add(time.Hour)),
		"an expired link":           link(apptest.IssuedA, time.Now().Add(-time.Hour)),
		"a broken link":             "nonsense",
	}
	_, err = invoicing.Void(app, voided.Id, "Emitida por error", staffActor)
	must(t, err)
	for what, token := range links {
		status, _, body := get(t, "GET", base+"/v/"+token, personUA)
		check(what, status, body)
		status, _, body = get(t, "GET", base+"/v/"+token+"/pdf", personUA)
		check(what+", its download", status, body)
	}
}

// spanishWorld makes the firm and customer A Spanish, by their own
// settings rather than by default.
func spanishWorld(t *testing.T, app core.App) {
	t.Helper()
	issuer, err := invoicing.LoadIssuer(app)
	must(t, err)
	issuer.Set("default_language", "es")
	issuer.Set("email_from", "facturas@firm.example")
	issuer.Set("trade_name", "Talleres Norte")
	must(t, app.Save(issuer))
	customer, err := app.FindRecordById(invoicing.Customers, apptest.CustomerA)
	must(t, err)
	customer.Set("language", "es")
	must(t, app.Save(customer))
	contact, err := app.FindAuthRecordByEmail(invoicing.Contacts, "ana@alfa.example")
	must(t, err)
	contact.Set("language", "es")
	contact.Set("name", "Ana")
	must(t, app.Save(contact))
}

func setReminderGrouping(t *testing.T, app core.App, on bool) {
	t.Helper()
	s, err := app.FindFirstRecordByFilter(remind.SettingsCollection, "")
	must(t, err)
	s.Set("group_per_customer", on)
	must(t, app.Save(s))
}

func findInvoice(t *testing.T, app core.App, id string) *core.Record {
	t.Helper()
	r, err := app.FindRecordById(invoicing.Invoices, id)
	must(t, err)
	return r
}

func newInvoice(t *testing.T, app core.App, customer string, due time.Time) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(invoicing.Invoices)
	must(t, err)
	r := core.NewRecord(col)
	r.Load(map[string]any{"customer": customer, "issue_date": apptest.Date(0), "due_date": due, "lines": apptest.IssuedLines})
	must(t, app.Save(r))
	return r
}
