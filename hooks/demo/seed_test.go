package demo_test

import (
	"os"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/demo"
	"facturo/hooks/invoicing"
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
