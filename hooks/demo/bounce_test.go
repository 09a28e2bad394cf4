package demo_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"facturo/hooks/demo"
	"facturo/hooks/invoicing"
	"facturo/hooks/remind"
	"facturo/internal/apptest"
)

// TestDemoFlagsTheCustomerWhoseAddressBounced: the demo's hard bounce
// flags its customer as the inbox would, so that the workspace's list and
// the customer's page say the address bounces, and reminders skip the
// customer (while they would write to it were its address not flagged).
func TestDemoFlagsTheCustomerWhoseAddressBounced(t *testing.T) {
	app := apptest.New(t)
	apptest.ClearWorld(t, app)
	today := time.Date(2026, 10, 14, 10, 0, 0, 0, time.UTC)
	if seeded, err := demo.SeedAt(app, today); err != nil || !seeded {
		t.Fatalf("seed: %v %v", seeded, err)
	}
	bounced, err := app.FindFirstRecordByFilter(invoicing.Invoices, "delivery = 'bounced'")
	if err != nil {
		t.Fatal("the demo has no bounced invoice")
	}
	customer, err := app.FindRecordById(invoicing.Customers, bounced.GetString("customer"))
	if err != nil {
		t.Fatal(err)
	}
	if !customer.GetBool("email_bouncing") || !strings.Contains(customer.GetString("email_bounce_note"), "5.1.1") {
		t.Fatalf("the customer of the bounced invoice is not flagged: bouncing %v, note %q",
			customer.GetBool("email_bouncing"), customer.GetString("email_bounce_note"))
	}
	if n, _ := app.CountRecords(invoicing.Customers); n < 2 {
		t.Fatalf("%d customers", n)
	}
	others, err := app.FindRecordsByFilter(invoicing.Customers, "email_bouncing = true", "", 0, 0)
	if err != nil || len(others) != 1 {
		t.Errorf("%d customers flagged, want only the one whose address bounced", len(others))
	}

	base := apptest.Serve(t, app)
	b := apptest.NewBrowser(t, base)
	b.SignIn("/app/login", demo.StaffEmail, demo.StaffPassword, "/app/")
	list := b.Get("/app/customers").Body
	row := rowOf(list, "/app/customers/"+customer.Id)
	if !strings.Contains(row, `class="pill"`) {
		t.Errorf("the customers list does not flag %s: %s", customer.GetString("name"), row)
	}
	if strings.Count(list, `<span class="pill"`) != 1 {
		t.Errorf("the customers list flags %d customers, want 1", strings.Count(list, `<span class="pill"`))
	}
	if page := b.Get("/app/customers/" + customer.Id).Body; !strings.Contains(page, `role="alert"`) || !strings.Contains(page, "User unknown") {
		t.Error("the customer's page does not say its address bounced, and why")
	}

	// A year on, every unpaid invoice is late: reminders write to every
	// customer owing something but the flagged one.
	later := today.AddDate(1, 0, 0)
	planned, err := remind.Plan(app, later)
	if err != nil {
		t.Fatal(err)
	}
	if len(planned) == 0 {
		t.Fatal("no reminder planned a year on")
	}
	for _, p := range planned {
		if p.Customer == customer.Id {
			t.Fatalf("a reminder of %s is planned to the address that bounced", p.Number)
		}
	}
	customer.Set("email_bouncing", false)
	if err := app.Save(customer); err != nil {
		t.Fatal(err)
	}
	planned, err = remind.Plan(app, later)
	if err != nil {
		t.Fatal(err)
	}
	var theirs int
	for _, p := range planned {
		if p.Customer == customer.Id {
			theirs++
		}
	}
	if theirs == 0 {
		t.Error("with its address fixed, the customer gets no reminder either: the check above proves nothing")
	}
}

// rowOf is the table row of a page that holds needle.
func rowOf(page, needle string) string {
	i := strings.Index(page, needle)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(page[:i], "<tr")
	end := strings.Index(page[i:], "</tr>")
	if start < 0 || end < 0 {
		return ""
	}
	return page[start : i+end]
}

// TestDemoSendsItsCorrections: the demo's facturas rectificativas were
// e-mailed like its other invoices, so that none waits as issued, not
// sent, and their timelines say so.
func TestDemoSendsItsCorrections(t *testing.T) {
	app := apptest.New(t)
	apptest.ClearWorld(t, app)
	today := time.Date(2026, 10, 14, 10, 0, 0, 0, time.UTC)
	if seeded, err := demo.SeedAt(app, today); err != nil || !seeded {
		t.Fatalf("seed: %v %v", seeded, err)
	}
	corrections, err := app.FindRecordsByFilter(invoicing.Invoices, "rectifies != '' && status != 'draft'", "", 0, 0)
	if err != nil || len(corrections) == 0 {
		t.Fatalf("the demo has no issued rectificativa: %v", err)
	}
	for _, r := range corrections {
		if d := r.GetString("delivery"); d == "not_sent" || d == "queued" {
			t.Errorf("rectificativa %s: %s", r.GetString("number"), d)
		}
		if n, _ := app.CountRecords(invoicing.Events, dbx.HashExp{"invoice": r.Id, "type": "sent"}); n != 1 {
			t.Errorf("rectificativa %s has %d sent entries", r.GetString("number"), n)
		}
	}
	if n, err := invoicing.CountInvoices(app, invoicing.Filter{State: "unsent"}); err != nil || n != 0 {
		t.Errorf("%d invoices issued, not sent, in the demo: %v", n, err)
	}
}
