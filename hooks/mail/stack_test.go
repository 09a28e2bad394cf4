package mail_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/toolcheck"
)

// The loopback mail stack of ../shared/tools/mail-stack.sh: Postfix takes
// submissions on 2525 and relays mail for client.example to Mailpit, whose
// HTTP API lists what arrived.
const (
	stackSubmission = "127.0.0.1:2525"
	mailpitAPI      = "http://127.0.0.1:18025/api/v1"
)

// requireMailStack skips without the stack, except on CI, where .ci/run
// starts it and its absence is a failure.
func requireMailStack(t *testing.T) {
	t.Helper()
	toolcheck.RequireListening(t, stackSubmission, "start the loopback mail stack as root: ../shared/tools/mail-stack.sh up")
}

// TestInvoiceReachesMailpitThroughPostfix sends an invoice through a real
// Postfix, which relays it to Mailpit, and finds it there with its PDF.
func TestInvoiceReachesMailpitThroughPostfix(t *testing.T) {
	requireMailStack(t)
	app := apptest.New(t)
	s := app.Settings()
	s.SMTP.Enabled, s.SMTP.Host, s.SMTP.Port = true, "127.0.0.1", 2525
	must(t, app.Save(s))
	issuer, _ := invoicing.LoadIssuer(app)
	issuer.Set("email_from", "facturas@billing.example.test")
	must(t, app.Save(issuer))
	settings := mailSettings(t, app)
	settings.Set("bounce_address", "bounces@billing.example.test")
	settings.Set("reply_address", "ar@billing.example.test")
	must(t, app.Save(settings))
	recipient := "cliente." + time.Now().Format("150405.000000") + "@client.example"
	customer, _ := app.FindRecordById(invoicing.Customers, apptest.CustomerA)
	customer.Set("email", recipient)
	must(t, app.Save(customer))

	inv := issueA(t, app)
	msg := queue(t, app, inv.Id)
	startWorker(t, app)
	waitForStatus(t, app, msg.Id, "sent")

	number := inv.GetString("number")
	deadline := time.Now().Add(30 * time.Second)
	for {
		if id := findInMailpit(t, recipient); id != "" {
			var full struct {
				Subject     string
				Attachments []struct{ FileName, ContentType string }
			}
			getJSON(t, mailpitAPI+"/message/"+id, &full)
			if !strings.Contains(full.Subject, number) {
				t.Errorf("subject %q", full.Subject)
			}
			if len(full.Attachments) != 1 || full.Attachments[0].FileName != "Factura-"+number+".pdf" || full.Attachments[0].ContentType != "application/pdf" {
				t.Errorf("attachments %+v", full.Attachments)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the invoice to %s never reached Mailpit", recipient)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// findInMailpit returns the Mailpit id of the message to recipient, if any.
func findInMailpit(t *testing.T, recipient string) string {
	var list struct {
		Messages []struct {
			ID string
			To []struct{ Address string }
		}
	}
	getJSON(t, mailpitAPI+"/messages?limit=200", &list)
	for _, m := range list.Messages {
		for _, to := range m.To {
			if strings.EqualFold(to.Address, recipient) {
				return m.ID
			}
		}
	}
	return ""
}

func getJSON(t *testing.T, url string, dst any) {
	t.Helper()
	res, err := http.Get(url)
	must(t, err)
	defer res.Body.Close()
	must(t, json.NewDecoder(res.Body).Decode(dst))
}
