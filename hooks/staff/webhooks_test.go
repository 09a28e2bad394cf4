package staff_test

import (
	"html"
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
	"facturo/ui"
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

// TestWebhookFailuresAreSaidInTheReadersLanguage: the log says in the
// clerk's language what went wrong with each delivery (an error status, an
// endpoint that is gone, a server that cannot be reached), and quotes
// after it what the endpoint or the network said, in their own words;
// neither the worker's English error nor HTTP's reason phrase is the
// sentence.
func TestWebhookFailuresAreSaidInTheReadersLanguage(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down for maintenance", http.StatusInternalServerError)
	}))
	defer failing.Close()
	gone := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusGone)
	}))
	defer gone.Close()
	refusing := httptest.NewServer(http.NotFoundHandler())
	refusing.Close() // nothing listens there any more

	col, err := app.FindCollectionByNameOrId(webhooks.Webhooks)
	if err != nil {
		t.Fatal(err)
	}
	var deliveries []string
	for _, u := range []string{failing.URL, gone.URL, refusing.URL} {
		h := core.NewRecord(col)
		h.Load(map[string]any{"url": u + "/hook", "active": true})
		if err := app.Save(h); err != nil {
			t.Fatal(err)
		}
		d, err := webhooks.QueuePing(app, h.Id)
		if err != nil {
			t.Fatal(err)
		}
		deliveries = append(deliveries, d.Id)
	}
	worker, err := webhooks.StartWorker(app, webhooks.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer worker.Stop()
	eventually(t, func() bool {
		n, _ := app.CountRecords(webhooks.Deliveries, dbx.And(dbx.In("id", deliveries[0], deliveries[1], deliveries[2]), dbx.NewExp("attempts > 0 AND status IN ('retry', 'failed')")))
		return n == 3
	})
	refused, err := app.FindRecordById(webhooks.Deliveries, deliveries[2])
	if err != nil {
		t.Fatal(err)
	}

	page := b.Get("/app/webhooks?lang=es").Body
	for _, want := range []string{
		ui.Tf("es", "app.webhooks.problem.status", ui.Args{"code": "500"}) + `</div><div class="muted"><q>down for maintenance</q>`,
		ui.Tf("es", "app.webhooks.problem.gone", ui.Args{"code": "410"}),
		ui.T("es", "app.webhooks.problem.unreachable") + `</div><div class="muted"><q>` + html.EscapeString(refused.GetString("last_error")) + `</q>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the Spanish log does not say %q", want)
		}
	}
	for _, english := range []string{"HTTP 500", "HTTP 410", "Internal Server Error", "Gone", "redirects are not followed"} {
		if strings.Contains(page, english) {
			t.Errorf("the Spanish log says %q", english)
		}
	}
	for _, problem := range apptest.NotSpanish(page) {
		t.Errorf("the Spanish log: %s", problem)
	}
	if page := b.Get("/app/webhooks?lang=en").Body; !strings.Contains(page, ui.Tf("en", "app.webhooks.problem.status", ui.Args{"code": "500"})) ||
		!strings.Contains(page, "500 Internal Server Error") {
		t.Error("the English log does not say the server answered 500")
	}
}
