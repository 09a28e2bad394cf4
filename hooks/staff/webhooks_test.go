package staff_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
	"facturo/hooks/webhooks"
	"facturo/internal/apptest"
)

// TestWebhooksPage: staff add an endpoint (a bad address is refused and
// nothing is saved), see its secret, test it, and read in the log what the
// endpoint answered; a failed delivery can be sent again.
func TestWebhooksPage(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	var hook *core.Record
	var failing atomic.Bool
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failing.Load() {
			http.Error(w, "down for maintenance", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer receiver.Close()
	// The test router serves without starting workers; this test starts
	// the webhooks' own.
	worker, err := webhooks.StartWorker(app, webhooks.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer worker.Stop()
	token := b.CSRF("/app/webhooks")

	if p := b.Post("/app/webhooks", url.Values{"csrf": {token}, "url": {"ftp://erp.example/in"}}); p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "url") {
		t.Errorf("an ftp address: %d", p.Status)
	}
	if n, _ := app.CountRecords(webhooks.Webhooks); n != 0 {
		t.Fatalf("a refused endpoint was saved (%d)", n)
	}
	p := b.Post("/app/webhooks", url.Values{"csrf": {token}, "url": {receiver.URL + "/hook"}, "events": {"issued", "paid"}, "description": {"ERP"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("adding an endpoint: %d %s", p.Status, p.Body)
	}
	hook, err = app.FindFirstRecordByData(webhooks.Webhooks, "url", receiver.URL+"/hook")
	if err != nil || !hook.GetBool("active") || strings.Join(hook.GetStringSlice("events"), ",") != "issued,paid" {
		t.Fatalf("the endpoint: %v %v", hook, err)
	}
	page := b.Get("/app/webhooks?lang=en").Body
	if !strings.Contains(page, hook.GetString("secret")) || len(hook.GetString("secret")) < 32 {
		t.Error("the page does not show the endpoint's signing secret")
	}

	if p := b.Post("/app/webhooks/"+hook.Id+"/ping", url.Values{"csrf": {token}}); p.Status != http.StatusSeeOther {
		t.Fatalf("testing the endpoint: %d %s", p.Status, p.Body)
	}
	eventually(t, func() bool {
		n, _ := app.CountRecords(webhooks.Deliveries, dbx.HashExp{"webhook": hook.Id, "status": "delivered"})
		return n == 1
	})
	if log := b.Get("/app/webhooks?lang=en").Body; !strings.Contains(log, "<code>ping</code>") || !strings.Contains(log, "204 No Content") {
		t.Error("the log does not show the ping and the endpoint's 204")
	}

	// The endpoint fails: the log says what it answered, and staff send
	// the delivery again once it is back.
	failing.Store(true)
	a, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	owed := decimal.NewFromFloat(a.GetFloat("total")).Sub(decimal.NewFromFloat(a.GetFloat("paid_total"))).StringFixed(2)
	if _, err := invoicing.RecordPayment(app, apptest.IssuedA, invoicing.Payment{Amount: decimal.RequireFromString(owed)}, invoicing.Actor{}); err != nil {
		t.Fatal(err)
	}
	a, _ = app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	if a.GetString("payment") != "paid" {
		t.Fatalf("the fixture invoice is %s after paying what was owed", a.GetString("payment"))
	}
	var failed string
	eventually(t, func() bool {
		// Attempted, answered and recorded: the worker counts the attempt
		// before the receiver answers.
		d, err := app.FindFirstRecordByFilter(webhooks.Deliveries, "webhook = {:id} && event_type = 'paid' && last_status_code = 500 && (status = 'retry' || status = 'failed')", dbx.Params{"id": hook.Id})
		if err == nil {
			failed = d.Id
		}
		return err == nil
	})
	log := b.Get("/app/webhooks?lang=en").Body
	if !strings.Contains(log, "500 Internal Server Error") || !strings.Contains(log, "/app/webhook-deliveries/"+failed+"/retry") {
		t.Error("the log does not show the failed delivery's 500 and a way to send it again")
	}
	failing.Store(false)
	if p := b.Post("/app/webhook-deliveries/"+failed+"/retry", url.Values{"csrf": {token}}); p.Status != http.StatusSeeOther {
		t.Fatalf("sending again: %d %s", p.Status, p.Body)
	}
	eventually(t, func() bool {
		d, _ := app.FindRecordById(webhooks.Deliveries, failed)
		return d != nil && d.GetString("status") == "delivered"
	})

	if p := b.Post("/app/webhooks/"+hook.Id+"/deactivate", url.Values{"csrf": {token}}); p.Status != http.StatusSeeOther {
		t.Fatalf("deactivating: %d", p.Status)
	}
	if h, _ := app.FindRecordById(webhooks.Webhooks, hook.Id); h.GetBool("active") {
		t.Error("the endpoint is still active")
	}
}

// eventually waits up to 10 s for cond, checking every 20 ms.
func eventually(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("not true after 10 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
