package invoicing_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/clock"
)

// TestCustomerFiguresFollowEveryChange reads a customer's figures, then
// changes its invoices every way they change (a payment in this process, a
// batch of payments, a write by another process) and expects each change
// seen, while a write that leaves no trace is not: the figures are kept
// between changes, not recomputed on every read.
func TestCustomerFiguresFollowEveryChange(t *testing.T) {
	app := apptest.New(t)
	today := clock.Now()
	open := func() float64 {
		t.Helper()
		f, err := invoicing.FiguresOf(app, apptest.CustomerB, today)
		if err != nil {
			t.Fatal(err)
		}
		return f.Summary.OpenBalance
	}
	if got := open(); got != 121 {
		t.Fatalf("customer B owes %v, want 121", got)
	}
	// Kept: a change written behind everyone's back, without touching
	// "updated", is not seen.
	if _, err := app.DB().NewQuery("UPDATE invoices SET paid_total = 1 WHERE id = {:id}").Bind(dbx.Params{"id": apptest.IssuedB}).Execute(); err != nil {
		t.Fatal(err)
	}
	if got := open(); got != 121 {
		t.Fatalf("the figures were recomputed although nothing said the invoices changed: %v", got)
	}
	if _, err := app.DB().NewQuery("UPDATE invoices SET paid_total = 0 WHERE id = {:id}").Bind(dbx.Params{"id": apptest.IssuedB}).Execute(); err != nil {
		t.Fatal(err)
	}

	if _, err := invoicing.RecordPayment(app, apptest.IssuedB, invoicing.Payment{Amount: mustDecimal("20")}, invoicing.Actor{}); err != nil {
		t.Fatal(err)
	}
	if got := open(); got != 101 {
		t.Errorf("after a payment of 20: %v", got)
	}
	if _, err := invoicing.RecordPayments(app, []invoicing.PaymentFor{{InvoiceID: apptest.IssuedB, Payment: invoicing.Payment{Amount: mustDecimal("1")}}}, invoicing.Actor{}); err != nil {
		t.Fatal(err)
	}
	if got := open(); got != 100 {
		t.Errorf("after a bank statement's payment of 1: %v", got)
	}
	// Another process writes, stamping the row as PocketBase does.
	if _, err := app.DB().NewQuery("UPDATE invoices SET paid_total = 121, payment = 'paid', updated = {:now} WHERE id = {:id}").
		Bind(dbx.Params{"id": apptest.IssuedB, "now": time.Now().UTC().Add(time.Second).Format("2006-01-02 15:04:05.000Z")}).Execute(); err != nil {
		t.Fatal(err)
	}
	if got := open(); got != 0 {
		t.Errorf("after another process settled the invoice: %v", got)
	}
	// Another customer's figures are their own.
	a, err := invoicing.FiguresOf(app, apptest.CustomerA, today)
	if err != nil || a.Summary.OpenBalance != 100 {
		t.Errorf("customer A owes %v (%v)", a.Summary.OpenBalance, err)
	}
}

// TestEveryCustomersFiguresAtOnce checks the figures computed for every
// customer in one pass, the first time any are asked for on a day, against
// each customer's own computation, and that the others are then read from
// memory rather than computed again. The days to pay, which the pass
// computes its own way, are also checked against the figures expected: a
// settled invoice counts from its issue to its last payment (by date, not
// by when it was recorded), a settled invoice without a payment recorded
// and an invoice only partly paid do not count, nor does a customer without
// invoices.
func TestEveryCustomersFiguresAtOnce(t *testing.T) {
	app := apptest.New(t)
	today := clock.Now()
	day := func(days int) string { return apptest.Date(days) + " 00:00:00.000Z" }
	exec := func(query string, params dbx.Params) {
		t.Helper()
		if _, err := app.DB().NewQuery(query).Bind(params).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	pay := func(invoice, amount string) {
		t.Helper()
		if _, err := invoicing.RecordPayment(app, invoice, invoicing.Payment{Amount: mustDecimal(amount)}, invoicing.Actor{}); err != nil {
			t.Fatal(err)
		}
	}
	// A part payment on B's invoice.
	pay(apptest.IssuedB, "20.50")
	// A's invoice settled in three payments (21 already paid), issued 30
	// days ago and last paid 4 days ago: 26 days, although the payment
	// recorded last is dated earlier.
	pay(apptest.IssuedA, "40")
	pay(apptest.IssuedA, "60")
	exec("UPDATE invoices SET issue_date = {:issued} WHERE id = {:id}", dbx.Params{"id": apptest.IssuedA, "issued": day(-30)})
	exec(`UPDATE payments SET paid_on = CASE amount WHEN 21 THEN {:first} WHEN 40 THEN {:last} ELSE {:second} END WHERE invoice = {:id}`,
		dbx.Params{"id": apptest.IssuedA, "first": day(-25), "second": day(-12), "last": day(-4)})
	// Another of A's, settled in one payment after 7 days.
	second := draft(t, app, apptest.CustomerA, nil)
	issue(t, app, second.Id)
	pay(second.Id, "121")
	exec("UPDATE invoices SET issue_date = {:issued} WHERE id = {:id}", dbx.Params{"id": second.Id, "issued": day(-10)})
	exec("UPDATE payments SET paid_on = {:paid} WHERE invoice = {:id}", dbx.Params{"id": second.Id, "paid": day(-3)})
	// And one of A's marked settled with no payment recorded.
	third := draft(t, app, apptest.CustomerA, nil)
	issue(t, app, third.Id)
	exec("UPDATE invoices SET paid_total = total, payment = 'paid' WHERE id = {:id}", dbx.Params{"id": third.Id})
	// A customer without invoices.
	customers, err := app.FindCollectionByNameOrId(invoicing.Customers)
	if err != nil {
		t.Fatal(err)
	}
	none := core.NewRecord(customers)
	none.Load(map[string]any{"name": "Gamma Sin Facturas S.L.", "email": "billing@gamma.example", "payment_terms_days": 30})
	if err := app.Save(none); err != nil {
		t.Fatal(err)
	}

	var ids []string
	if err := app.DB().NewQuery("SELECT id FROM customers ORDER BY id").Column(&ids); err != nil || len(ids) < 3 {
		t.Fatalf("%d customers: %v", len(ids), err)
	}
	want := map[string]invoicing.CustomerFigures{}
	for _, id := range ids {
		var f invoicing.CustomerFigures
		var err error
		if f.Summary, err = invoicing.Summarize(app, id, today); err != nil {
			t.Fatal(err)
		}
		if f.Monthly, err = invoicing.MonthlyTotals(app, id, invoicing.FigureMonths, today); err != nil {
			t.Fatal(err)
		}
		if f.Ageing, err = invoicing.AgeingOf(app, id, today); err != nil {
			t.Fatal(err)
		}
		want[id] = f
	}
	owing := 0
	for _, id := range ids {
		got, err := invoicing.FiguresOf(app, id, today)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want[id]) {
			t.Errorf("customer %s: computed with every customer %+v, on its own %+v", id, got, want[id])
		}
		if got.Summary.OpenBalance > 0 {
			owing++
		}
		if id == ids[0] {
			// Changed behind everyone's back: the others' figures were
			// computed with the first's and are not computed again.
			if _, err := app.DB().NewQuery("UPDATE invoices SET paid_total = 0, payment = 'unpaid' WHERE customer != {:id}").Bind(dbx.Params{"id": id}).Execute(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if owing == 0 {
		t.Error("no customer owes anything: the comparison proves little")
	}
	days := map[string]struct {
		average float64
		settled int
	}{apptest.CustomerA: {16.5, 2}, apptest.CustomerB: {0, 0}, none.Id: {0, 0}}
	for id, w := range days {
		if got := want[id].Summary; got.AverageDaysToPay != w.average || got.Settled != w.settled {
			t.Errorf("customer %s: %v days to pay over %d settled invoices, want %v over %d", id, got.AverageDaysToPay, got.Settled, w.average, w.settled)
		}
	}
}
