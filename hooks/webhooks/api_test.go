package webhooks_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"facturo/hooks/webhooks"
	"facturo/internal/apptest"
)

func TestOnlyStaffReachWebhooksAndTheirLog(t *testing.T) {
	app := apptest.New(t)
	hook := newWebhook(t, app, "https://erp.example/hooks", nil, true)
	ping, err := webhooks.QueuePing(app, hook.Id)
	must(t, err)
	base := apptest.Serve(t, app)

	reads := []string{
		"/api/collections/webhooks/records",
		"/api/collections/webhooks/records/" + hook.Id,
		"/api/collections/webhook_deliveries/records",
		"/api/collections/webhook_deliveries/records/" + ping.Id,
	}
	for _, who := range []struct{ name, token string }{{"guest", ""}, {"contact", apptest.Tokens.ContactA}} {
		for _, path := range reads {
			res := apptest.Call(t, http.MethodGet, base+path, who.token, "")
			// PocketBase answers 403 to everyone but superusers on collections without rules.
			if res.Status != http.StatusForbidden || strings.Contains(string(res.Body), "erp.example") {
				t.Errorf("a %s reading %s: %d %s, want 403", who.name, path, res.Status, res.Body)
			}
		}
		res := apptest.Call(t, http.MethodPost, base+"/api/collections/webhooks/records", who.token, `{"url":"https://evil.example/"}`)
		if res.Status < 400 {
			t.Errorf("a %s created a webhook: %d", who.name, res.Status)
		}
	}

	routes := []string{"/api/webhooks/" + hook.Id + "/test", "/api/webhook-deliveries/" + ping.Id + "/retry"}
	for _, path := range routes {
		if res := apptest.Call(t, http.MethodPost, base+path, "", ""); res.Status != http.StatusUnauthorized {
			t.Errorf("a guest posting %s: %d, want 401", path, res.Status)
		}
		if res := apptest.Call(t, http.MethodPost, base+path, apptest.Tokens.ContactA, ""); res.Status != http.StatusForbidden {
			t.Errorf("a contact posting %s: %d, want 403", path, res.Status)
		}
	}
	if n := len(deliveriesOf(t, app, hook.Id)); n != 1 {
		t.Errorf("the refused calls left %d deliveries, want the one ping", n)
	}

	// Staff read both and see the secret.
	res := apptest.Call(t, http.MethodGet, base+"/api/collections/webhooks/records/"+hook.Id, apptest.Tokens.Staff, "")
	var got struct{ Secret string }
	must(t, json.Unmarshal(res.Body, &got))
	if res.Status != http.StatusOK || got.Secret != hook.GetString("secret") {
		t.Errorf("staff reading the webhook: %d, secret %q", res.Status, got.Secret)
	}
	if res := apptest.Call(t, http.MethodGet, base+"/api/collections/webhook_deliveries/records", apptest.Tokens.Staff, ""); res.Status != http.StatusOK || !strings.Contains(string(res.Body), ping.Id) {
		t.Errorf("staff listing deliveries: %d %s", res.Status, res.Body)
	}
}

func TestStaffQueueAPingAndSendAFailedDeliveryAgain(t *testing.T) {
	app := apptest.New(t)
	erp := newReceiver(t, http.StatusServiceUnavailable)
	hook := newWebhook(t, app, erp.URL, []string{"paid"}, true)
	base := apptest.Serve(t, app)
	startWorker(t, app, nil)

	// A ping goes out whatever the webhook subscribes to.
	res := apptest.Call(t, http.MethodPost, base+"/api/webhooks/"+hook.Id+"/test", apptest.Tokens.Staff, "")
	var queued struct{ ID, Status, EventType string }
	must(t, json.Unmarshal(res.Body, &queued))
	if res.Status != http.StatusAccepted || queued.ID == "" {
		t.Fatalf("queuing a ping: %d %s", res.Status, res.Body)
	}
	waitFor(t, app, queued.ID, "retried", hasStatus(webhooks.StatusRetry))
	reqs := erp.requests()
	if len(reqs) != 1 || reqs[0].Header.Get("Facturo-Event") != "ping" {
		t.Fatalf("the receiver got %d requests", len(reqs))
	}
	var p struct {
		ID, Type string
		Invoice  *struct{}
	}
	must(t, json.Unmarshal(reqs[0].Body, &p))
	if p.ID != queued.ID || p.Type != "ping" || p.Invoice != nil {
		t.Errorf("ping payload %s", reqs[0].Body)
	}

	// Gave up on: staff send it again, now that the endpoint answers.
	d, err := app.FindRecordById(webhooks.Deliveries, queued.ID)
	must(t, err)
	d.Set("status", webhooks.StatusFailed)
	must(t, app.Save(d))
	erp.mu.Lock()
	erp.answers = []int{http.StatusServiceUnavailable, http.StatusNoContent}
	erp.mu.Unlock()
	res = apptest.Call(t, http.MethodPost, base+"/api/webhook-deliveries/"+d.Id+"/retry", apptest.Tokens.Staff, "")
	if res.Status != http.StatusAccepted {
		t.Fatalf("sending again: %d %s", res.Status, res.Body)
	}
	d = waitFor(t, app, d.Id, "delivered", hasStatus(webhooks.StatusDelivered))
	if d.GetInt("attempts") != 2 || d.GetInt("last_status_code") != http.StatusNoContent {
		t.Errorf("%d attempts, last code %d", d.GetInt("attempts"), d.GetInt("last_status_code"))
	}

	// An inactive webhook is sent nothing, and staff are told why.
	hook.Set("active", false)
	must(t, app.Save(hook))
	for _, path := range []string{"/api/webhooks/" + hook.Id + "/test", "/api/webhook-deliveries/" + d.Id + "/retry"} {
		res := apptest.Call(t, http.MethodPost, base+path, apptest.Tokens.Staff, "")
		if res.Status != http.StatusBadRequest || !strings.Contains(string(res.Body), "inactive") {
			t.Errorf("posting %s for an inactive webhook: %d %s", path, res.Status, res.Body)
		}
	}
	if res := apptest.Call(t, http.MethodPost, base+"/api/webhook-deliveries/nosuchdelivery/retry", apptest.Tokens.Staff, ""); res.Status != http.StatusNotFound {
		t.Errorf("sending an unknown delivery again: %d", res.Status)
	}
	if res := apptest.Call(t, http.MethodPost, base+"/api/webhooks/nosuchwebhook00/test", apptest.Tokens.Staff, ""); res.Status != http.StatusNotFound {
		t.Errorf("pinging an unknown webhook: %d", res.Status)
	}
}

func TestAWebhookCreatedByStaffGetsASecretAndStartsActive(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	res := apptest.Call(t, http.MethodPost, base+"/api/collections/webhooks/records", apptest.Tokens.Staff,
		`{"url":"https://erp.example/in","events":["issued","paid"]}`)
	var created struct {
		ID, Secret string
		Active     bool
	}
	must(t, json.Unmarshal(res.Body, &created))
	if res.Status != http.StatusOK {
		t.Fatalf("creating a webhook: %d %s", res.Status, res.Body)
	}
	raw, err := base64.RawURLEncoding.DecodeString(created.Secret)
	if err != nil || len(raw) < 32 {
		t.Errorf("secret %q: %d bytes, %v", created.Secret, len(raw), err)
	}
	if !created.Active {
		t.Error("a webhook created without saying is inactive")
	}

	other := apptest.Call(t, http.MethodPost, base+"/api/collections/webhooks/records", apptest.Tokens.Staff, `{"url":"https://erp.example/other"}`)
	if strings.Contains(string(other.Body), created.Secret) {
		t.Error("two webhooks got the same secret")
	}

	// Clearing the secret rotates it.
	res = apptest.Call(t, http.MethodPatch, base+"/api/collections/webhooks/records/"+created.ID, apptest.Tokens.Staff, `{"secret":""}`)
	var rotated struct{ Secret string }
	must(t, json.Unmarshal(res.Body, &rotated))
	if res.Status != http.StatusOK || rotated.Secret == "" || rotated.Secret == created.Secret {
		t.Errorf("clearing the secret: %d, secret %q", res.Status, rotated.Secret)
	}

	for _, url := range []string{"ftp://erp.example/in", "mailto:erp@example.com", ""} {
		res := apptest.Call(t, http.MethodPost, base+"/api/collections/webhooks/records", apptest.Tokens.Staff, `{"url":"`+url+`"}`)
		var e struct{ Data map[string]any }
		_ = json.Unmarshal(res.Body, &e)
		if res.Status != http.StatusBadRequest || e.Data["url"] == nil {
			t.Errorf("url %q: %d %s, want 400 naming url", url, res.Status, res.Body)
		}
	}
	if res := apptest.Call(t, http.MethodPost, base+"/api/collections/webhooks/records", apptest.Tokens.Staff, `{"url":"https://erp.example/","events":["downloaded"]}`); res.Status != http.StatusBadRequest {
		t.Errorf("subscribing to a type that is never sent: %d", res.Status)
	}
}
