package demo_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/demo"
	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
	"facturo/hooks/quotes"
	"facturo/hooks/verifactu"
	"facturo/internal/apptest"
	"facturo/internal/clock"
)

func TestMain(m *testing.M) { os.Exit(apptest.Run(m)) }

// TestSeedLoadsTwoYearsOfHistory checks that serve --demo gives a newcomer a
// firm with customers, contacts who can sign in, and two years of invoices in
// every state, chained as real ones.
func TestSeedLoadsTwoYearsOfHistory(t *testing.T) {
	// Whatever the day the demo is loaded, every story is there.
	for _, today := range []time.Time{
		clock.Now().UTC(),
		time.Date(2027, 1, 1, 0, 30, 0, 0, time.UTC),
		time.Date(2026, 3, 31, 23, 50, 0, 0, time.UTC),
	} {
		t.Run(today.Format(time.DateOnly), func(t *testing.T) { checkSeed(t, today) })
	}
}

func checkSeed(t *testing.T, today time.Time) {
	app := apptest.New(t)
	// The test world has customers already; the demo loads into an empty firm.
	apptest.ClearWorld(t, app)
	seeded, err := demo.SeedAt(app, today)
	if err != nil || !seeded {
		t.Fatalf("seed: %v %v", seeded, err)
	}

	customers, _ := app.CountRecords(invoicing.Customers)
	if customers < 5 {
		t.Errorf("%d customers, want at least 5", customers)
	}
	for _, c := range mustFind(t, app, invoicing.Customers, "") {
		if _, err := app.FindFirstRecordByFilter(invoicing.Contacts, "customer = {:c}", map[string]any{"c": c.Id}); err != nil {
			t.Errorf("customer %s has no contact", c.GetString("name"))
		}
	}

	oldest := mustFind(t, app, invoicing.Invoices, "issue_date")[0].GetDateTime("issue_date").Time()
	if age := today.Sub(oldest); age < 700*24*time.Hour {
		t.Errorf("the oldest invoice is from %v; want about two years of history", oldest)
	}
	for _, filter := range []string{
		"payment = 'paid'", "payment = 'partial'", "payment = 'unpaid' && due_date < '" + today.AddDate(0, 0, -1).Format(time.DateOnly) + "'", "status = 'rectified'",
		"series = 'R'", "response = 'accepted'", "response = 'rejected'", "response = 'queried'", "delivery = 'bounced'",
		"viewed_at != ''", "surcharge_total > 0", "withholding_total > 0", "tax_total = 0", "status = 'voided'",
	} {
		if _, err := app.FindFirstRecordByFilter(invoicing.Invoices, filter); err != nil {
			t.Errorf("no demo invoice with %s", filter)
		}
	}
	if report, err := invoicing.VerifyChain(app); err != nil || !report.OK() {
		t.Errorf("the demo's huella chain: %v %v", report, err)
	}
	// Sending to the AEAT is off, in its test environment, without a
	// certificate: every record is kept here, none waits.
	status, err := verifactu.LoadStatus(app)
	if err != nil || status.Enabled || status.Environment != verifactu.EnvTest || status.Certificate == nil && status.CertificateError == "" ||
		status.Certificate != nil || status.Pending != 0 || status.NotSent == 0 {
		t.Errorf("VERI*FACTU in the demo: %+v %v", status, err)
	}

	contact, err := app.FindAuthRecordByEmail(invoicing.Contacts, demo.ContactEmail)
	if err != nil || !contact.ValidatePassword(demo.ContactPassword) {
		t.Errorf("the printed contact sign-in does not work: %v", err)
	}
	if contact != nil {
		checkQuotes(t, app, contact.GetString("customer"), today)
	}
	staff, err := app.FindAuthRecordByEmail("_superusers", demo.StaffEmail)
	if err != nil || !staff.ValidatePassword(demo.StaffPassword) {
		t.Errorf("the printed staff sign-in does not work: %v", err)
	}

	if again, err := demo.Seed(app); err != nil || again {
		t.Errorf("a second start loaded the demo again: %v %v", again, err)
	}
}

func mustFind(t *testing.T, app core.App, collection, sort string) []*core.Record {
	t.Helper()
	rs, err := app.FindRecordsByFilter(collection, "", sort, 0, 0)
	if err != nil || len(rs) == 0 {
		t.Fatalf("no %s: %v", collection, err)
	}
	return rs
}

// checkQuotes checks the demo's quotes: for the portal's customer one sent
// and opened awaiting its answer, one accepted and turned into a draft
// invoice, one rejected with its reason; for another customer one sent.
// Each was e-mailed through the outbox, and its timeline is dated in the
// demo's past.
func checkQuotes(t *testing.T, app core.App, customer string, today time.Time) {
	t.Helper()
	find := func(filter string, params dbx.Params) *core.Record {
		t.Helper()
		q, err := app.FindFirstRecordByFilter(quotes.Collection, filter, params)
		if err != nil {
			t.Errorf("no demo quote with %s", filter)
			return nil
		}
		return q
	}
	c := dbx.Params{"c": customer}
	waiting := find("customer = {:c} && status = 'sent' && opened_at != '' && response_at = ''", c)
	accepted := find("customer = {:c} && status = 'invoiced' && invoice != '' && response_at != ''", c)
	rejected := find("customer = {:c} && status = 'rejected' && response_note != ''", c)
	other := find("customer != {:c} && status = 'sent'", c)
	if accepted != nil {
		inv, err := app.FindRecordById(invoicing.Invoices, accepted.GetString("invoice"))
		if err != nil || inv.GetString("status") != invoicing.StatusDraft || inv.GetString("order_reference") != accepted.GetString("number") {
			t.Errorf("the accepted quote's invoice: %v %v", inv, err)
		}
	}
	for _, q := range []*core.Record{waiting, accepted, rejected, other} {
		if q == nil {
			continue
		}
		if q.GetString("number") == "" || q.GetString("pdf") == "" || q.GetString("delivery") != "sent" {
			t.Errorf("quote %s: pdf %q, delivery %s", q.GetString("number"), q.GetString("pdf"), q.GetString("delivery"))
		}
		if n, _ := app.CountRecords(mail.Messages, dbx.HashExp{"quote": q.Id, "kind": mail.KindQuote, "status": mail.StatusSent}); n != 1 {
			t.Errorf("quote %s has %d sent e-mails in the outbox, want 1", q.GetString("number"), n)
		}
		events, _ := quotes.Timeline(app, q.Id)
		var types []string
		for _, e := range events {
			types = append(types, e.GetString("type"))
			if at := e.GetDateTime("created").Time(); at.After(today) || at.Before(today.AddDate(0, -1, 0)) {
				t.Errorf("quote %s: its %s event is dated %v, not in the demo's last weeks before %v", q.GetString("number"), e.GetString("type"), at, today)
			}
		}
		if got := strings.Join(types, " "); !strings.HasPrefix(got, "finished queued sent") {
			t.Errorf("quote %s's timeline: %s", q.GetString("number"), got)
		}
		if !q.GetDateTime("issue_date").Time().Before(today) {
			t.Errorf("quote %s is dated %v, not before %v", q.GetString("number"), q.GetDateTime("issue_date"), today)
		}
	}
	if waiting != nil && waiting.GetDateTime("valid_until").Time().Before(clock.Day(today)) {
		t.Errorf("the quote awaiting its answer ran out on %v", waiting.GetDateTime("valid_until"))
	}
}
