package invoicing_test

import (
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
