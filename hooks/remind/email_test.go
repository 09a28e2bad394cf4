package remind_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
	"facturo/hooks/remind"
	"facturo/internal/apptest"
)

// setGrouping turns grouping per customer on or off.
func setGrouping(t testing.TB, app core.App, on bool) {
	t.Helper()
	s, err := app.FindFirstRecordByFilter(remind.SettingsCollection, "")
	if err != nil {
		t.Fatal(err)
	}
	s.Set("group_per_customer", on)
	if err := app.Save(s); err != nil {
		t.Fatal(err)
	}
}

// With grouping, each customer gets one email with all its invoices due
// for a reminder, worded by the highest level among them; the outbox sends
// it with the PDFs, a signed view link in place of the marker, and the
// final notice's legal text; each invoice's timeline has the reminder.
func TestGroupedReminderEmail(t *testing.T) {
	app := apptest.New(t)
	setGrouping(t, app, true)
	issuer, err := invoicing.LoadIssuer(app)
	if err != nil {
		t.Fatal(err)
	}
	issuer.Set("email_from", "facturas@firm.example")
	if err := app.Save(issuer); err != nil {
		t.Fatal(err)
	}
	if err := mail.DeliverToFolder(app); err != nil {
		t.Fatal(err)
	}
	mailSettings, err := app.FindFirstRecordByFilter(mail.MailSettings, "")
	if err != nil {
		t.Fatal(err)
	}
	mailSettings.Set("reply_address", "ar@firm.example")
	if err := app.Save(mailSettings); err != nil {
		t.Fatal(err)
	}
	first, err := app.FindRecordById(invoicing.Invoices, apptest.IssuedB)
	if err != nil {
		t.Fatal(err)
	}
	// Rates for every half-year the invoices are late in, so that the
	// final notice states its interest and attaches the statement.
	addRates(t, app, first.GetDateTime("issue_date").Time(), 3)
	due := first.GetDateTime("due_date").Time()
	draft, err := app.FindRecordById(invoicing.Invoices, apptest.DraftB)
	if err != nil {
		t.Fatal(err)
	}
	draft.Set("due_date", due.AddDate(0, 0, 10))
	if err := app.Save(draft); err != nil {
		t.Fatal(err)
	}
	second, err := invoicing.Issue(app, apptest.DraftB, invoicing.Actor{Email: apptest.StaffEmail})
	if err != nil {
		t.Fatal(err)
	}

	// B's first invoice reaches the final notice, its second the +15
	// level; A's one invoice is long past its final notice too.
	res := runDay(t, app, due.AddDate(0, 0, 30))
	if res.Messages != 2 || res.Reminded != 3 || res.Customers != 2 {
		t.Fatalf("grouped run: %+v, want 3 invoices in 2 emails", res)
	}
	msgs, err := app.FindRecordsByFilter(mail.Messages, "kind = 'reminder' && invoice = {:inv}", "", 0, 0, map[string]any{"inv": apptest.IssuedB})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("B's reminder messages: %d, %v", len(msgs), err)
	}
	msg := msgs[0]
	for _, inv := range []*core.Record{first, second} {
		evs, err := app.FindRecordsByFilter(invoicing.Events, "invoice = {:inv} && type = 'reminder_sent'", "", 0, 0, map[string]any{"inv": inv.Id})
		if err != nil || len(evs) != 1 {
			t.Fatalf("invoice %s: %d reminder_sent events, %v", inv.GetString("number"), len(evs), err)
		}
		if !strings.Contains(evs[0].GetString("data"), `"message":"`+msg.Id+`"`) {
			t.Errorf("invoice %s: the event %s does not name the grouped message", inv.GetString("number"), evs[0].GetString("data"))
		}
	}

	w, err := mail.StartWorker(app)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	deadline := time.Now().Add(20 * time.Second)
	for count(t, app, "messages", "kind = 'reminder' AND status = 'sent'") < 2 {
		if time.Now().After(deadline) {
			var errs []string
			_ = app.DB().NewQuery("SELECT status || ' ' || attempts || ' ' || next_attempt_at || ' ' || last_error FROM messages WHERE kind = 'reminder'").Column(&errs)
			t.Fatalf("the reminders were never sent: %q", errs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	msg, _ = app.FindRecordById(mail.Messages, msg.Id)
	eml := readEML(t, app, msg.GetString("message_id"))
	for _, want := range []string{
		"Subject: Final notice: invoices " + first.GetString("number") + ", " + second.GetString("number"),
		"Law 3/2004", "art. 8", "/v/", "Factura-" + first.GetString("number") + ".pdf", "Factura-" + second.GetString("number") + ".pdf",
		"ar+" + first.Id + "@firm.example", "Auto-Submitted: auto-generated",
		"As of today, the interest accrued is", "Extracto-Beta-Distribuciones-SA-" + due.AddDate(0, 0, 30).Format(time.DateOnly) + ".pdf",
		"and a statement of your account",
	} {
		if !strings.Contains(eml, want) {
			t.Errorf("B's reminder lacks %q", want)
		}
	}
	if strings.Contains(eml, mail.ViewLinkMarker) {
		t.Errorf("B's reminder still has the view link marker")
	}
}

// readEML finds the email with a Message-ID in the outbox folder, its
// quoted-printable soft line breaks joined.
func readEML(t testing.TB, app core.App, messageID string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(app.DataDir(), "outbox", "*.eml"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if s := string(b); strings.Contains(s, messageID) {
			return strings.ReplaceAll(strings.ReplaceAll(s, "=\r\n", ""), "=\n", "")
		}
	}
	t.Fatalf("no email with Message-ID %s among %d files", messageID, len(files))
	return ""
}

// Without grouping, each invoice gets its own email.
func TestUngroupedRunSendsOneEmailPerInvoice(t *testing.T) {
	app := apptest.New(t)
	quietFixture(t, app)
	insertCustomer(t, app, "simcust0000000", "", "")
	due := day(t, "2027-05-01")
	insertInvoices(t, app, []simInvoice{
		{id: "siminv00000001", customer: "simcust0000000", number: "S-1", due: due, total: 100},
		{id: "siminv00000002", customer: "simcust0000000", number: "S-2", due: due.AddDate(0, 0, -6), total: 200},
	})
	res := runDay(t, app, due.AddDate(0, 0, 1))
	if res.Messages != 2 || res.Reminded != 2 {
		t.Fatalf("ungrouped: %+v, want 2 emails", res)
	}
	// The outbox sends S-1's (the +1 level attaches nothing; S-2's, at +7,
	// would attach a PDF these straight-written invoices cannot have).
	issuer, err := invoicing.LoadIssuer(app)
	if err != nil {
		t.Fatal(err)
	}
	issuer.Set("email_from", "facturas@firm.example")
	if err := app.Save(issuer); err != nil {
		t.Fatal(err)
	}
	if err := mail.DeliverToFolder(app); err != nil {
		t.Fatal(err)
	}
	w, err := mail.StartWorker(app)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	deadline := time.Now().Add(20 * time.Second)
	for count(t, app, "messages", "invoice = 'siminv00000001' AND status = 'sent'") < 1 {
		if time.Now().After(deadline) {
			var errs []string
			_ = app.DB().NewQuery("SELECT status || ' ' || last_error FROM messages WHERE kind = 'reminder'").Column(&errs)
			t.Fatalf("S-1's reminder was never sent: %q", errs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	w.Stop()
	var messageID string
	if err := app.DB().NewQuery("SELECT message_id FROM messages WHERE invoice = 'siminv00000001'").Row(&messageID); err != nil {
		t.Fatal(err)
	}
	eml := readEML(t, app, messageID)
	for _, want := range []string{"Subject: Factura S-1 pendiente de pago", "venci=C3=B3 el 01/05/2027", "/v/", "To: <simcust0000000@customers.example>"} {
		if !strings.Contains(eml, want) {
			t.Errorf("S-1's reminder lacks %q", want)
		}
	}
	setGrouping(t, app, true)
	res = runDay(t, app, due.AddDate(0, 0, 9))
	if res.Messages != 1 || res.Reminded != 2 {
		t.Fatalf("grouped: %+v, want 1 email about 2 invoices", res)
	}
	var subject string
	if err := app.DB().NewQuery("SELECT subject FROM messages WHERE kind = 'reminder' ORDER BY created DESC, rowid DESC LIMIT 1").Row(&subject); err != nil {
		t.Fatal(err)
	}
	// S-2 is at +15, S-1 at +7: the +15 level's wording, both numbers.
	if want := "Tercer aviso: pago pendiente de las facturas S-2, S-1"; subject != want {
		t.Errorf("subject %q, want %q", subject, want)
	}
}

// addRates puts a statutory rate (10 %) in interest_rates for n half-years
// from the one of the day given, where the table has none.
func addRates(t testing.TB, app core.App, from time.Time, n int) {
	t.Helper()
	col, err := app.FindCollectionByNameOrId("interest_rates")
	if err != nil {
		t.Fatal(err)
	}
	half := time.Date(from.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	if from.Month() >= time.July {
		half = half.AddDate(0, 6, 0)
	}
	for range n {
		if existing, _ := app.FindFirstRecordByFilter(col, "from = {:from}", map[string]any{"from": half.Format("2006-01-02 15:04:05.000Z")}); existing == nil {
			r := core.NewRecord(col)
			r.Load(map[string]any{"from": half, "rate": 10, "source": "test"})
			if err := app.Save(r); err != nil {
				t.Fatal(err)
			}
		}
		half = half.AddDate(0, 6, 0)
	}
}
