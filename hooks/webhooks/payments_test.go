package webhooks_test

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
	"facturo/hooks/webhooks"
	"facturo/internal/apptest"
)

// TestASinglePaymentAndABatchAreAlike settles one invoice with a single
// payment (the workspace's form) and another with a batch (a bank
// statement): the rows, the timeline and the webhook deliveries they leave
// are alike, field for field.
func TestASinglePaymentAndABatchAreAlike(t *testing.T) {
	app := apptest.New(t)
	hook := newWebhook(t, app, "http://127.0.0.1:1/hook", []string{"paid"}, true)
	actor := invoicing.Actor{Email: apptest.StaffEmail, Staff: true}
	a, err := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	must(t, err)
	owedA := decimal.NewFromFloat(a.GetFloat("total")).Sub(decimal.NewFromFloat(a.GetFloat("paid_total")))
	_, err = invoicing.RecordPayment(app, apptest.IssuedA, invoicing.Payment{Amount: owedA, Reference: "single"}, actor)
	must(t, err)
	_, err = invoicing.RecordPayments(app, []invoicing.PaymentFor{{InvoiceID: apptest.IssuedB, Payment: invoicing.Payment{Amount: decimal.NewFromInt(121), Reference: "batch"}}}, actor)
	must(t, err)

	for _, id := range []string{apptest.IssuedA, apptest.IssuedB} {
		inv, err := app.FindRecordById(invoicing.Invoices, id)
		must(t, err)
		if inv.GetString("payment") != "paid" || inv.GetInt("payment_count") < 1 {
			t.Errorf("%s: %s, %d payments counted", id, inv.GetString("payment"), inv.GetInt("payment_count"))
		}
	}
	// The timeline: the same entries, with the same fields.
	shape := func(id string) []string {
		evs, err := app.FindRecordsByFilter(invoicing.Events, "invoice = {:id} && (type = 'payment' || type = 'paid')", "created,type", 0, 0, dbx.Params{"id": id})
		must(t, err)
		var out []string
		for _, ev := range evs {
			var data map[string]any
			_ = json.Unmarshal([]byte(ev.GetString("data")), &data)
			out = append(out, ev.GetString("type")+" "+ev.GetString("actor_email")+" "+slicesString(slices.Sorted(maps.Keys(data))))
		}
		return out
	}
	single, batch := shape(apptest.IssuedA), shape(apptest.IssuedB)
	if !slices.Equal(single[len(single)-2:], batch) {
		t.Errorf("the single payment's entries %v, the batch's %v", single, batch)
	}
	// The webhook: one delivery of "paid" for each, with the same keys.
	ds := deliveriesOf(t, app, hook.Id)
	if len(ds) != 2 {
		t.Fatalf("%d deliveries, want one per settled invoice", len(ds))
	}
	var payloads []webhooks.Payload
	for _, d := range ds {
		var p webhooks.Payload
		must(t, json.Unmarshal([]byte(d.GetString("payload")), &p))
		payloads = append(payloads, p)
	}
	if payloads[0].Type != payloads[1].Type || payloads[0].Invoice.Payment != "paid" || payloads[1].Invoice.Payment != "paid" ||
		payloads[0].Invoice.ID != apptest.IssuedA || payloads[1].Invoice.ID != apptest.IssuedB {
		t.Errorf("the deliveries differ: %+v\n%+v", payloads[0], payloads[1])
	}
}

func slicesString(s []string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
