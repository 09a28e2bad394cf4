package invoicing_test

import (
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
)

// TestRecordPaymentsAsRecordPaymentDoes: a batch leaves the same payments,
// invoice states and timeline as one payment at a time, tells the events'
// listeners once committed, and with one payment refused writes nothing.
func TestRecordPaymentsAsRecordPaymentDoes(t *testing.T) {
	app := apptest.New(t)
	var told []string
	invoicing.OnEventsAppended(app).BindFunc(func(e *invoicing.EventsEvent) error {
		for _, ev := range e.Events {
			told = append(told, ev.GetString("type"))
		}
		return e.Next()
	})
	b, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedB) // owes 121.00
	paidOn := apptest.Today()
	refused := []invoicing.PaymentFor{
		{InvoiceID: apptest.IssuedB, Payment: invoicing.Payment{Amount: decimal.NewFromInt(100), PaidOn: paidOn}},
		{InvoiceID: apptest.IssuedB, Payment: invoicing.Payment{Amount: decimal.NewFromInt(22), PaidOn: paidOn}}, // 1.00 too much
	}
	before := count(t, app, invoicing.Payments)
	if _, err := invoicing.RecordPayments(app, refused, invoicing.Actor{}); err == nil {
		t.Fatal("a batch paying more than is owed was accepted")
	}
	early := []invoicing.PaymentFor{
		{InvoiceID: apptest.IssuedB, Payment: invoicing.Payment{Amount: decimal.NewFromInt(10), PaidOn: paidOn}},
		{InvoiceID: apptest.IssuedB, Payment: invoicing.Payment{Amount: decimal.NewFromInt(10), PaidOn: apptest.Day(-1)}},
	}
	if _, err := invoicing.RecordPayments(app, early, invoicing.Actor{}); err == nil || !strings.Contains(err.Error(), "Payment 2: Invoice") {
		t.Fatalf("a batch paying an invoice the day before it was issued: %v", err)
	}
	if count(t, app, invoicing.Payments) != before || len(told) != 0 {
		t.Fatal("a refused batch wrote payments or told listeners")
	}

	ids, err := invoicing.RecordPayments(app, []invoicing.PaymentFor{
		{InvoiceID: apptest.IssuedB, Payment: invoicing.Payment{Amount: decimal.RequireFromString("100"), PaidOn: paidOn, Reference: "N43 1"}},
		{InvoiceID: apptest.IssuedB, Payment: invoicing.Payment{Amount: decimal.RequireFromString("21"), PaidOn: paidOn, Reference: "N43 2"}},
	}, invoicing.Actor{Email: "bank"})
	if err != nil || len(ids) != 2 {
		t.Fatalf("the batch: %v %v", ids, err)
	}
	b, _ = app.FindRecordById(invoicing.Invoices, apptest.IssuedB)
	if b.GetString("payment") != "paid" || b.GetFloat("paid_total") != 121 {
		t.Errorf("after the batch: %s %v", b.GetString("payment"), b.GetFloat("paid_total"))
	}
	p, err := app.FindRecordById(invoicing.Payments, ids[1])
	if err != nil || p.GetFloat("amount") != 21 || p.GetString("reference") != "N43 2" || p.GetString("invoice") != apptest.IssuedB ||
		p.GetDateTime("paid_on").Time() != paidOn {
		t.Errorf("the second payment: %v %v", p, err)
	}
	for typ, want := range map[string]int{"payment": 2, "paid": 1} {
		n, _ := app.CountRecords(invoicing.Events, dbx.HashExp{"invoice": apptest.IssuedB, "type": typ})
		if int(n) != want {
			t.Errorf("%d %s events, want %d", n, typ, want)
		}
	}
	if len(told) != 3 {
		t.Errorf("listeners were told of %v", told)
	}
	// What the timeline shows of a payment is what RecordPayment writes.
	ev, err := app.FindFirstRecordByFilter(invoicing.Events, "invoice = {:id} && type = 'payment' && data.reference = 'N43 1'", dbx.Params{"id": apptest.IssuedB})
	if err != nil || ev.GetString("actor_email") != "bank" {
		t.Errorf("the payment event: %v %v", ev, err)
	}
}

// TestAppendEventsWritesTheTimelineAndRefusesUnknownTypes: a batch of
// entries lands on the timeline as AppendEvent's would; a type the timeline
// does not know writes nothing.
func TestAppendEventsWritesTheTimelineAndRefusesUnknownTypes(t *testing.T) {
	app := apptest.New(t)
	before := count(t, app, invoicing.Events)
	if err := invoicing.AppendEvents(app, []invoicing.NewEvent{
		{InvoiceID: apptest.IssuedA, CustomerID: apptest.CustomerA, Type: "reminder_sent"},
		{InvoiceID: apptest.IssuedA, CustomerID: apptest.CustomerA, Type: "reminder_snet"},
	}); err == nil || count(t, app, invoicing.Events) != before {
		t.Fatalf("a batch with an unknown type: %v, %d events written", err, count(t, app, invoicing.Events)-before)
	}
	err := invoicing.AppendEvents(app, []invoicing.NewEvent{
		{InvoiceID: apptest.IssuedA, CustomerID: apptest.CustomerA, Type: "reminder_sent", Actor: invoicing.Actor{Email: "reminders"}, Data: map[string]any{"level": 7}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := app.FindFirstRecordByFilter(invoicing.Events, "invoice = {:id} && type = 'reminder_sent'", dbx.Params{"id": apptest.IssuedA})
	if err != nil || ev.GetString("customer") != apptest.CustomerA || ev.GetString("actor_email") != "reminders" || !strings.Contains(ev.GetString("data"), `"level":7`) {
		t.Errorf("the entry: %v %v", ev, err)
	}
}
