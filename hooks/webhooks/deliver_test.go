package webhooks_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/webhooks"
	"facturo/internal/apptest"
)

var staff = invoicing.Actor{Email: apptest.StaffEmail}

func TestIssuingDeliversASignedPayloadToSubscribersOnly(t *testing.T) {
	app := apptest.New(t)
	erp, other, paused := newReceiver(t), newReceiver(t), newReceiver(t)
	subscribed := newWebhook(t, app, erp.URL, []string{"issued", "paid"}, true)
	elsewhere := newWebhook(t, app, other.URL, []string{"paid", "opened"}, true)
	inactive := newWebhook(t, app, paused.URL, nil, false)
	startWorker(t, app, nil)

	inv, err := invoicing.Issue(app, apptest.DraftA, staff)
	must(t, err)

	// The deliveries are written once the issue has committed, before Issue returns.
	if n := len(deliveriesOf(t, app, elsewhere.Id)); n != 0 {
		t.Errorf("a webhook subscribed to paid and opened got %d deliveries for an issue", n)
	}
	if n := len(deliveriesOf(t, app, inactive.Id)); n != 0 {
		t.Errorf("an inactive webhook got %d deliveries", n)
	}
	ds := deliveriesOf(t, app, subscribed.Id)
	if len(ds) != 1 {
		t.Fatalf("the subscribed webhook has %d deliveries, want 1", len(ds))
	}
	d := waitFor(t, app, ds[0].Id, "delivered", hasStatus(webhooks.StatusDelivered))
	if d.GetInt("last_status_code") != 200 || d.GetInt("attempts") != 1 || d.GetDateTime("delivered_at").IsZero() {
		t.Errorf("delivered with code %d after %d attempts at %v", d.GetInt("last_status_code"), d.GetInt("attempts"), d.GetDateTime("delivered_at"))
	}

	reqs := erp.requests()
	if len(reqs) != 1 {
		t.Fatalf("the receiver got %d requests, want 1", len(reqs))
	}
	req := reqs[0]
	if string(req.Body) != d.GetString("payload") {
		t.Errorf("the body sent differs from the payload logged:\n%s\n%s", req.Body, d.GetString("payload"))
	}
	for header, want := range map[string]string{
		"Content-Type": "application/json", "User-Agent": "facturo-webhooks/1",
		"Facturo-Event": "invoice.issued", "Facturo-Delivery": d.Id,
	} {
		if got := req.Header.Get(header); got != want {
			t.Errorf("%s: %q, want %q", header, got, want)
		}
	}

	secret := subscribed.GetString("secret")
	signature := req.Header.Get("Facturo-Signature")
	if err := webhooks.Verify(secret, signature, req.Body, 5*time.Minute, time.Now()); err != nil {
		t.Errorf("Verify refuses the delivery: %v", err)
	}
	// The same check written from the README, without the package.
	ts, v1, ok := strings.Cut(signature, ",v1=")
	ts = strings.TrimPrefix(ts, "t=")
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "." + string(req.Body)))
	if !ok || v1 != hex.EncodeToString(mac.Sum(nil)) {
		t.Errorf("signature %q is not HMAC-SHA256(secret, t.body)", signature)
	}

	var p struct {
		ID, Type, Created string
		Event             struct{ ID, Type, Created, ActorEmail string }
		Invoice           struct {
			ID, Number, Customer, Status, Total, Currency string
			DueDate                                       string `json:"due_date"`
		}
		Customer struct {
			ID, Name string
			TaxID    string `json:"tax_id"`
		}
	}
	must(t, json.Unmarshal(req.Body, &p))
	ev, err := app.FindRecordById(invoicing.Events, d.GetString("event"))
	must(t, err)
	if p.ID != d.Id || p.Type != "invoice.issued" || p.Event.ID != ev.Id || p.Event.Type != "issued" || ev.GetString("type") != "issued" {
		t.Errorf("payload id %q type %q event %q/%q; delivery %s, event %s", p.ID, p.Type, p.Event.ID, p.Event.Type, d.Id, ev.Id)
	}
	if _, err := time.Parse(time.RFC3339, p.Created); err != nil {
		t.Errorf("created %q is not RFC 3339: %v", p.Created, err)
	}
	if p.Invoice.ID != inv.Id || p.Invoice.Number != inv.GetString("number") || p.Invoice.Number == "" ||
		p.Invoice.Status != "issued" || p.Invoice.Total != "121.00" || p.Invoice.Currency != "EUR" ||
		p.Invoice.DueDate != inv.GetDateTime("due_date").Time().Format(time.DateOnly) {
		t.Errorf("payload invoice %+v; the invoice is %s, total %v", p.Invoice, inv.GetString("number"), inv.GetFloat("total"))
	}
	if p.Customer.ID != apptest.CustomerA || p.Customer.Name != "Alfa Comercial S.L." || p.Customer.TaxID != "B87654323" {
		t.Errorf("payload customer %+v", p.Customer)
	}
	if n := len(other.requests()) + len(paused.requests()); n != 0 {
		t.Errorf("the other receivers got %d requests", n)
	}
}

func TestFailedAttemptsAreRetriedOnTheSchedule(t *testing.T) {
	app := apptest.New(t)
	erp := newReceiver(t, 500, 500, 200)
	hook := newWebhook(t, app, erp.URL, nil, true)
	clk := newClock()
	w := startWorker(t, app, clk.Now)

	_, err := invoicing.Issue(app, apptest.DraftA, staff)
	must(t, err)
	ds := deliveriesOf(t, app, hook.Id)
	if len(ds) != 1 {
		t.Fatalf("%d deliveries, want 1", len(ds))
	}
	id := ds[0].Id

	for i, wait := range []time.Duration{30 * time.Second, 2 * time.Minute} {
		attempts := i + 1
		d := waitFor(t, app, id, "retried", func(d *core.Record) bool {
			return d.GetInt("attempts") == attempts && d.GetString("status") == webhooks.StatusRetry
		})
		if next := d.GetDateTime("next_attempt_at").Time(); !next.Equal(clk.Now().Add(wait)) {
			t.Errorf("after attempt %d the next is at %v, want %v later", attempts, next, wait)
		}
		if d.GetInt("last_status_code") != 500 || !strings.Contains(d.GetString("last_error"), "500") || d.GetString("last_response") != "Internal Server Error" ||
			d.GetString("last_problem") != webhooks.ProblemStatus {
			t.Errorf("attempt %d recorded code %d, error %q, response %q", attempts, d.GetInt("last_status_code"), d.GetString("last_error"), d.GetString("last_response"))
		}
		clk.Advance(wait)
		w.Wake()
	}
	d := waitFor(t, app, id, "delivered", hasStatus(webhooks.StatusDelivered))
	if codes := attemptCodes(t, d); !slices.Equal(codes, []int{500, 500, 200}) {
		t.Errorf("the attempt log shows %v, want [500 500 200]", codes)
	}
	if d.GetInt("attempts") != 3 || d.GetString("last_error") != "" || d.GetString("last_problem") != "" {
		t.Errorf("%d attempts, last error %q", d.GetInt("attempts"), d.GetString("last_error"))
	}
	reqs := erp.requests()
	if len(reqs) != 3 {
		t.Fatalf("the receiver got %d requests, want 3", len(reqs))
	}
	for _, r := range reqs {
		if r.Header.Get("Facturo-Delivery") != id || string(r.Body) != string(reqs[0].Body) {
			t.Errorf("a retry changed the delivery id or the body: %s", r.Header.Get("Facturo-Delivery"))
		}
	}
	// Each attempt is signed when it is sent.
	if err := webhooks.Verify(hook.GetString("secret"), reqs[2].Header.Get("Facturo-Signature"), reqs[2].Body, time.Second, clk.Now()); err != nil {
		t.Errorf("the last attempt's signature: %v", err)
	}
}

func TestDeliveriesFailAfterThreeDays(t *testing.T) {
	app := apptest.New(t)
	down := newReceiver(t, 503)
	hook := newWebhook(t, app, down.URL, nil, true)
	clk := newClock()
	w := startWorker(t, app, clk.Now)
	_, err := invoicing.Issue(app, apptest.DraftA, staff)
	must(t, err)
	id := deliveriesOf(t, app, hook.Id)[0].Id
	waitFor(t, app, id, "retried", hasStatus(webhooks.StatusRetry))

	clk.Advance(72*time.Hour + time.Minute)
	w.Wake()
	d := waitFor(t, app, id, "failed", hasStatus(webhooks.StatusFailed))
	if d.GetInt("attempts") != 2 || d.GetInt("last_status_code") != 503 {
		t.Errorf("failed after %d attempts with code %d, want 2 and 503", d.GetInt("attempts"), d.GetInt("last_status_code"))
	}
}

func TestGoneFailsAtOnceAndDeactivatesTheWebhook(t *testing.T) {
	app := apptest.New(t)
	gone := newReceiver(t, http.StatusGone)
	hook := newWebhook(t, app, gone.URL, nil, true)
	startWorker(t, app, nil)
	_, err := invoicing.Issue(app, apptest.DraftA, staff)
	must(t, err)
	d := waitFor(t, app, deliveriesOf(t, app, hook.Id)[0].Id, "failed", hasStatus(webhooks.StatusFailed))
	if d.GetInt("attempts") != 1 || d.GetInt("last_status_code") != 410 || d.GetString("last_problem") != webhooks.ProblemGone {
		t.Errorf("failed after %d attempts with code %d", d.GetInt("attempts"), d.GetInt("last_status_code"))
	}
	hook, err = app.FindRecordById(webhooks.Webhooks, hook.Id)
	must(t, err)
	if hook.GetBool("active") {
		t.Error("the webhook is still active after 410 Gone")
	}
	// Later events are not queued for it.
	_, err = invoicing.Issue(app, apptest.DraftB, staff)
	must(t, err)
	if n := len(deliveriesOf(t, app, hook.Id)); n != 1 {
		t.Errorf("%d deliveries after deactivation, want 1", n)
	}
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	app := apptest.New(t)
	target := newReceiver(t)
	redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(redirecting.Close)
	hook := newWebhook(t, app, redirecting.URL+"/hook", nil, true)
	startWorker(t, app, nil)
	_, err := invoicing.Issue(app, apptest.DraftA, staff)
	must(t, err)
	d := waitFor(t, app, deliveriesOf(t, app, hook.Id)[0].Id, "retried", hasStatus(webhooks.StatusRetry))
	if d.GetInt("last_status_code") != http.StatusTemporaryRedirect || !strings.Contains(d.GetString("last_error"), "redirect") || d.GetString("last_problem") != webhooks.ProblemRedirect {
		t.Errorf("code %d, error %q", d.GetInt("last_status_code"), d.GetString("last_error"))
	}
	if n := len(target.requests()); n != 0 {
		t.Errorf("the redirect's target got %d requests", n)
	}
}

func TestARefusedConnectionIsRetried(t *testing.T) {
	app := apptest.New(t)
	// A port that was just free: nothing listens there any more.
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	hook := newWebhook(t, app, gone.URL+"/hook", nil, true)
	startWorker(t, app, nil)
	_, err := invoicing.Issue(app, apptest.DraftA, staff)
	must(t, err)
	d := waitFor(t, app, deliveriesOf(t, app, hook.Id)[0].Id, "retried", hasStatus(webhooks.StatusRetry))
	if d.GetInt("last_status_code") != 0 || d.GetString("last_error") == "" || d.GetInt("attempts") != 1 || d.GetString("last_problem") != webhooks.ProblemUnreachable {
		t.Errorf("code %d, error %q, %d attempts", d.GetInt("last_status_code"), d.GetString("last_error"), d.GetInt("attempts"))
	}
}

func TestADeliveryInFlightAtStartIsSentAgain(t *testing.T) {
	app := apptest.New(t)
	erp := newReceiver(t)
	hook := newWebhook(t, app, erp.URL, []string{"issued"}, true)
	_, err := invoicing.Issue(app, apptest.DraftA, staff)
	must(t, err)
	// As a server killed mid-attempt leaves it.
	d := deliveriesOf(t, app, hook.Id)[0]
	d.Set("status", webhooks.StatusSending)
	d.Set("attempts", 1)
	must(t, app.Save(d))

	startWorker(t, app, nil)
	d = waitFor(t, app, d.Id, "delivered", hasStatus(webhooks.StatusDelivered))
	if d.GetInt("attempts") != 2 {
		t.Errorf("%d attempts, want 2", d.GetInt("attempts"))
	}
	if n := len(erp.requests()); n != 1 {
		t.Errorf("the receiver got %d requests, want 1", n)
	}
}

func TestOneEndpointGetsItsDeliveriesInOrderOneAtATime(t *testing.T) {
	app := apptest.New(t)
	erp := newReceiver(t)
	hook := newWebhook(t, app, erp.URL, nil, true)
	var ids []string
	for range 12 {
		d, err := webhooks.QueuePing(app, hook.Id)
		must(t, err)
		ids = append(ids, d.Id)
	}
	startWorker(t, app, nil)
	for _, id := range ids {
		waitFor(t, app, id, "delivered", hasStatus(webhooks.StatusDelivered))
	}
	var order []string
	for _, r := range erp.requests() {
		order = append(order, r.Header.Get("Facturo-Delivery"))
	}
	if !slices.Equal(order, ids) {
		t.Errorf("sent in the order %v, made in %v", order, ids)
	}
	if erp.overlapped() {
		t.Error("two deliveries to one endpoint were in flight at once")
	}
}

func TestOpensWrittenInBulkAreDelivered(t *testing.T) {
	app := apptest.New(t)
	erp := newReceiver(t)
	hook := newWebhook(t, app, erp.URL, []string{"opened"}, true)
	at := time.Now().UTC().Format("2006-01-02 15:04:05.000Z")
	opens := []invoicing.Open{
		{InvoiceID: apptest.IssuedA, CustomerID: apptest.CustomerA, Actor: invoicing.Actor{Email: "ana@alfa.example"}, At: at, Data: map[string]any{"n": 1}},
		{InvoiceID: apptest.IssuedA, CustomerID: apptest.CustomerA, At: at, Automated: true},
		{InvoiceID: apptest.IssuedB, CustomerID: apptest.CustomerB, Actor: invoicing.Actor{Email: "bob@beta.example"}, At: at},
	}

	// Opens written in a transaction that rolls back are never announced.
	rollback := errors.New("rolled back")
	err := app.RunInTransaction(func(tx core.App) error {
		must(t, invoicing.AppendOpens(tx, opens[:1]))
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	if n := len(deliveriesOf(t, app, hook.Id)); n != 0 {
		t.Fatalf("%d deliveries for opens that were rolled back", n)
	}

	// Opens written in a caller's transaction are announced once it commits.
	must(t, app.RunInTransaction(func(tx core.App) error {
		if err := invoicing.AppendOpens(tx, opens[:1]); err != nil {
			return err
		}
		if n := len(deliveriesOf(t, app, hook.Id)); n != 0 {
			t.Errorf("%d deliveries before the opens' transaction committed", n)
		}
		return nil
	}))
	if n := len(deliveriesOf(t, app, hook.Id)); n != 1 {
		t.Fatalf("%d deliveries for an open written in a committed transaction, want 1", n)
	}

	must(t, invoicing.AppendOpens(app, opens))
	ds := deliveriesOf(t, app, hook.Id)
	if len(ds) != 1+len(opens) {
		t.Fatalf("%d deliveries for %d opens", len(ds), 1+len(opens))
	}
	events := map[string]bool{}
	for _, d := range ds {
		ev, err := app.FindRecordById(invoicing.Events, d.GetString("event"))
		must(t, err)
		if ev.GetString("type") != "opened" || d.GetString("event_type") != "opened" {
			t.Errorf("delivery %s is for a %q event", d.Id, ev.GetString("type"))
		}
		events[ev.Id] = true
	}
	if len(events) != len(ds) {
		t.Errorf("the deliveries name %d events, want %d distinct", len(events), len(ds))
	}

	startWorker(t, app, nil)
	invoices := map[string]bool{}
	for _, d := range ds {
		waitFor(t, app, d.Id, "delivered", hasStatus(webhooks.StatusDelivered))
	}
	for _, r := range erp.requests() {
		var p struct {
			Type  string
			Event struct {
				ActorEmail string `json:"actor_email"`
			}
			Invoice struct{ ID string }
		}
		must(t, json.Unmarshal(r.Body, &p))
		if p.Type != "invoice.opened" {
			t.Errorf("type %q", p.Type)
		}
		invoices[p.Invoice.ID] = true
	}
	if !invoices[apptest.IssuedA] || !invoices[apptest.IssuedB] {
		t.Errorf("opens delivered for invoices %v", invoices)
	}
}

func TestTimelineTypesOutsideTheListAreNotSent(t *testing.T) {
	app := apptest.New(t)
	erp := newReceiver(t)
	hook := newWebhook(t, app, erp.URL, nil, true)
	inv, err := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	must(t, err)
	for _, typ := range []string{invoicing.EventDownloaded, invoicing.EventQueued, invoicing.EventViewed} {
		_, err := invoicing.AppendEvent(app, inv, typ, staff, nil)
		must(t, err)
	}
	ds := deliveriesOf(t, app, hook.Id)
	if len(ds) != 1 || ds[0].GetString("event_type") != "viewed" {
		t.Errorf("%d deliveries for downloaded, queued and viewed; want only viewed", len(ds))
	}
}
