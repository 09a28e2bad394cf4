package remind_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/clock"
)

// quietFixture keeps the fixed world's invoices out of a simulation: their
// customers opt out of reminders.
func quietFixture(t testing.TB, app core.App) {
	t.Helper()
	if _, err := app.DB().NewQuery("UPDATE customers SET reminders = 'off' WHERE id IN ('" + apptest.CustomerA + "', '" + apptest.CustomerB + "')").Execute(); err != nil {
		t.Fatal(err)
	}
}

// A year of daily runs over 100 invoices of five customers (three on the
// default levels, one on its own days, one opted out), some paid, some
// credits, some rejected or queried, some drafts: each invoice that is owed
// gets each of its days' reminder exactly on that day, and nothing else
// happens.
func TestYearOfDailyRuns(t *testing.T) {
	app := apptest.New(t)
	quietFixture(t, app)
	customers := []struct {
		id, reminders, days string
		schedule            []int
	}{
		{"simcust0000000", "", "", []int{-3, 1, 7, 15, 30}},
		{"simcust0000001", "default", "", []int{-3, 1, 7, 15, 30}},
		{"simcust0000002", "", "", []int{-3, 1, 7, 15, 30}},
		{"simcust0000003", "custom", "[45, 10]", []int{10, 45}},
		{"simcust0000004", "off", "", nil},
	}
	for _, c := range customers {
		insertCustomer(t, app, c.id, c.reminders, c.days)
	}
	start := day(t, "2027-01-01")
	var invoices []simInvoice
	type key struct {
		invoice string
		level   int
	}
	expected := map[key]string{} // the day each reminder is sent
	for i := range 100 {
		c := customers[i%len(customers)]
		inv := simInvoice{
			id: fmt.Sprintf("siminv%08d", i), customer: c.id, number: fmt.Sprintf("S-2027-%04d", i),
			due: start.AddDate(0, 0, 5+(i*37)%300), total: float64(100 + i),
		}
		owed := true
		switch i % 10 {
		case 3:
			inv.paid = inv.total
			owed = false
		case 4:
			inv.paid = 50 // partly paid: still owed
		case 6:
			inv.total = -50 // a credit
			owed = false
		case 8:
			inv.response = []string{"rejected", "queried", "accepted"}[i%3]
			owed = inv.response == "accepted"
		case 9:
			if i%20 == 9 {
				inv.status = "draft"
				owed = false
			} else {
				inv.status = "rectified"
				owed = false
			}
		}
		invoices = append(invoices, inv)
		if !owed {
			continue
		}
		for _, d := range c.schedule {
			expected[key{inv.id, d}] = inv.due.AddDate(0, 0, d).Format(time.DateOnly)
		}
	}
	insertInvoices(t, app, invoices)

	totalMessages := 0
	for d := start; d.Year() == 2027; d = d.AddDate(0, 0, 1) {
		res := runDay(t, app, d)
		totalMessages += res.Messages
		if res.Skipped != 0 {
			t.Fatalf("%s: daily runs skip nothing, got %+v", d.Format(time.DateOnly), res)
		}
	}

	got := map[key]string{}
	for _, r := range sentRows(t, app) {
		if r.Status != "sent" {
			t.Errorf("invoice %s level %d: %s, want sent", r.Invoice, r.Level, r.Status)
		}
		got[key{r.Invoice, r.Level}] = r.SentAt[:10]
	}
	for k, want := range expected {
		if got[k] != want {
			t.Errorf("invoice %s level %d: sent on %q, want %s", k.invoice, k.level, got[k], want)
		}
	}
	for k := range got {
		if _, ok := expected[k]; !ok {
			t.Errorf("invoice %s level %d: sent, but it should not be", k.invoice, k.level)
		}
	}
	if len(expected) < 250 {
		t.Fatalf("the simulation expects only %d reminders; it tests too little", len(expected))
	}
	if totalMessages != len(expected) {
		t.Errorf("runs queued %d emails, want %d", totalMessages, len(expected))
	}
	if n := count(t, app, "messages", "kind = 'reminder'"); n != len(expected) {
		t.Errorf("outbox: %d reminder messages, want %d", n, len(expected))
	}
	if n := count(t, app, "events", "type = 'reminder_sent'"); n != len(expected) {
		t.Errorf("timeline: %d reminder_sent events, want %d", n, len(expected))
	}
	// Each event points at its invoice's message and says the level.
	var mismatched int
	if err := app.DB().NewQuery(`SELECT COUNT(*) FROM events e JOIN reminders_sent r ON r.invoice = e.invoice
		AND r.level = json_extract(e.data, '$.level') AND r.message = json_extract(e.data, '$.message')
		WHERE e.type = 'reminder_sent'`).Row(&mismatched); err != nil {
		t.Fatal(err)
	}
	if mismatched != len(expected) {
		t.Errorf("%d of %d events match their recorded level and message", mismatched, len(expected))
	}
}

// After ten days without runs, the next run sends only the highest level
// due and marks the lower ones skipped; they are never sent later.
func TestDowntimeSendsOnlyTheHighestLevel(t *testing.T) {
	app := apptest.New(t)
	quietFixture(t, app)
	insertCustomer(t, app, "simcust0000000", "", "")
	due := day(t, "2027-03-01")
	insertInvoices(t, app, []simInvoice{{id: "siminv00000001", customer: "simcust0000000", number: "S-1", due: due, total: 500}})

	for d := due.AddDate(0, 0, -5); !d.After(due.AddDate(0, 0, 5)); d = d.AddDate(0, 0, 1) {
		runDay(t, app, d)
	}
	// Down from due+6 to due+15: the +7 level's day passes unseen.
	res := runDay(t, app, due.AddDate(0, 0, 16))
	if res.Messages != 1 || res.Skipped != 1 {
		t.Fatalf("first run after downtime: %+v, want one email and one skipped level", res)
	}
	for d := due.AddDate(0, 0, 17); !d.After(due.AddDate(0, 0, 60)); d = d.AddDate(0, 0, 1) {
		runDay(t, app, d)
	}
	var got []string
	for _, r := range sentRows(t, app) {
		got = append(got, fmt.Sprintf("%d %s %s", r.Level, r.Status, r.SentAt[:10]))
	}
	want := []string{
		"-3 sent 2027-02-26", "1 sent 2027-03-02", "7 skipped 2027-03-17", "15 sent 2027-03-17", "30 sent 2027-03-31",
	}
	if !slices.Equal(got, want) {
		t.Errorf("recorded levels:\n got %q\nwant %q", got, want)
	}
	if n := count(t, app, "messages", "kind = 'reminder'"); n != 4 {
		t.Errorf("%d reminder emails, want 4", n)
	}
}

// A payment in full, a rejection or a query stops the reminders; a partial
// payment does not.
func TestPaymentAndResponseStopReminders(t *testing.T) {
	app := apptest.New(t)
	contactB, err := app.FindRecordById(invoicing.Contacts, apptest.ContactB)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	if err != nil {
		t.Fatal(err)
	}
	b, err := app.FindRecordById(invoicing.Invoices, apptest.IssuedB)
	if err != nil {
		t.Fatal(err)
	}
	dueA, dueB := a.GetDateTime("due_date").Time(), b.GetDateTime("due_date").Time()

	runDay(t, app, dueA.AddDate(0, 0, -3))
	runDay(t, app, dueB.AddDate(0, 0, -3))
	if n := count(t, app, "reminders_sent", "status = 'sent' AND level = -3"); n != 2 {
		t.Fatalf("%d courtesy reminders, want 2 (one partly paid invoice, one unpaid)", n)
	}
	before := count(t, app, "reminders_sent", "1 = 1")

	owed := a.GetFloat("total") - a.GetFloat("paid_total")
	if _, err := invoicing.RecordPayment(app, apptest.IssuedA, invoicing.Payment{Amount: decimalOf(owed)}, invoicing.Actor{Email: apptest.StaffEmail}); err != nil {
		t.Fatal(err)
	}
	if _, err := invoicing.Respond(app, apptest.IssuedB, invoicing.Response{Action: "reject", Reason: "PRI"}, invoicing.Actor{Contact: contactB, Email: contactB.Email()}); err != nil {
		t.Fatal(err)
	}
	later := dueB.AddDate(0, 0, 40)
	for d := dueA.AddDate(0, 0, -2); !d.After(later); d = d.AddDate(0, 0, 1) {
		runDay(t, app, d)
	}
	if n := count(t, app, "reminders_sent", "1 = 1"); n != before {
		t.Errorf("%d levels recorded after the payment and the rejection, want the %d from before", n, before)
	}
}

// A customer whose mail bounces, or who opted out, gets no reminder.
func TestBouncingAndOptedOutCustomersAreSkipped(t *testing.T) {
	app := apptest.New(t)
	if _, err := invoicing.FlagBouncing(app, apptest.CustomerA, "550 no such user"); err != nil {
		t.Fatal(err)
	}
	at := clock.Now().UTC().AddDate(0, 3, 0)
	res := runDay(t, app, at)
	if res.Reminded != 1 || res.Customers != 1 {
		t.Fatalf("with A bouncing: %+v, want B's invoice only", res)
	}
	for _, r := range sentRows(t, app) {
		if r.Invoice != apptest.IssuedB {
			t.Fatalf("recorded a level of %s, want only %s's", r.Invoice, apptest.IssuedB)
		}
	}

	app2 := apptest.New(t)
	b, err := app2.FindRecordById(invoicing.Customers, apptest.CustomerB)
	if err != nil {
		t.Fatal(err)
	}
	b.Set("reminders", "off")
	if err := app2.Save(b); err != nil {
		t.Fatal(err)
	}
	if res := runDay(t, app2, at); res.Reminded != 1 || sentRows(t, app2)[0].Invoice != apptest.IssuedA {
		t.Fatalf("with B opted out: %+v, want A's invoice only", res)
	}
}
