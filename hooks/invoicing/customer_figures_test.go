package invoicing_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

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
// memory rather than computed again.
func TestEveryCustomersFiguresAtOnce(t *testing.T) {
	app := apptest.New(t)
	today := clock.Now()
	// A part payment and a settled invoice, beside the world's others.
	if _, err := invoicing.RecordPayment(app, apptest.IssuedB, invoicing.Payment{Amount: mustDecimal("20.50")}, invoicing.Actor{}); err != nil {
		t.Fatal(err)
	}
	if _, err := invoicing.RecordPayment(app, apptest.IssuedA, invoicing.Payment{Amount: mustDecimal("100")}, invoicing.Actor{}); err != nil {
		t.Fatal(err)
	}
	var customers []string
	if err := app.DB().NewQuery("SELECT id FROM customers ORDER BY id").Column(&customers); err != nil || len(customers) < 2 {
		t.Fatalf("%d customers: %v", len(customers), err)
	}
	want := map[string]invoicing.CustomerFigures{}
	for _, id := range customers {
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
	for _, id := range customers {
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
		if id == customers[0] {
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
}
