package inbox_test

import (
	"fmt"
	"mime"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/inbox"
	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
	"facturo/internal/apptest"
	"facturo/internal/toolcheck"
)

// The loopback mail stack of ../shared/tools/mail-stack.sh: Postfix takes
// submissions on 2525 and hands mail for billing.example.test to Dovecot,
// whose IMAP (11143) has the mailboxes "bounces" and "ar"; Mailpit, the
// customers' server, refuses nobody@client.example.
const (
	stackSubmission = "127.0.0.1:2525"
	stackIMAPPort   = 11143
)

// TestRealBounceAndReplyThroughPostfixAndDovecot emails an invoice to an
// address that does not exist, lets Postfix produce the real bounce into
// the mailbox "bounces", and sends a customer's Spanish reply into the
// mailbox "ar"; one poller reads both, and the reply's recorded text is what
// the customer wrote, without the quote's header.
func TestRealBounceAndReplyThroughPostfixAndDovecot(t *testing.T) {
	toolcheck.RequireListening(t, stackSubmission, "start the loopback mail stack as root: ../shared/tools/mail-stack.sh up")
	app := apptest.New(t)
	s := app.Settings()
	s.SMTP.Enabled, s.SMTP.Host, s.SMTP.Port = true, "127.0.0.1", 2525
	must(t, app.Save(s))
	issuer, _ := invoicing.LoadIssuer(app)
	issuer.Set("email_from", "facturas@billing.example.test")
	must(t, app.Save(issuer))
	mailSettings, err := app.FindFirstRecordByFilter(mail.MailSettings, "")
	must(t, err)
	mailSettings.Set("bounce_address", "bounces@billing.example.test")
	mailSettings.Set("reply_address", "ar@billing.example.test")
	must(t, app.Save(mailSettings))
	customer, _ := app.FindRecordById(invoicing.Customers, apptest.CustomerA)
	customer.Set("email", "nobody@client.example")
	must(t, app.Save(customer))

	// Bounces reach the mailbox "bounces", replies the mailbox "ar": the
	// poller reads both at once, as a firm's two mailboxes.
	settings, err := app.FindFirstRecordByFilter(inbox.InboxSettings, "")
	must(t, err)
	settings.Set("poll_seconds", 5)
	must(t, app.Save(settings))
	boxes, err := app.FindCollectionByNameOrId(inbox.InboxMailboxes)
	must(t, err)
	for _, user := range []string{"bounces", "ar"} {
		box := core.NewRecord(boxes)
		box.Load(map[string]any{
			"enabled": true, "host": "127.0.0.1", "port": stackIMAPPort, "tls": "none", "username": user, "password": "pw",
			"after_reading": "flag",
		})
		must(t, app.Save(box))
	}
	waitFor := func(what string, ok func() bool) {
		deadline := time.Now().Add(60 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				var errs []string
				rows, _ := app.FindAllRecords(inbox.InboxMailboxes)
				for _, r := range rows {
					errs = append(errs, r.GetString("username")+": "+r.GetString("last_error"))
				}
				t.Fatalf("%s did not happen within 60 s (inbox errors: %q)", what, errs)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}

	msg, err := mail.Queue(app, apptest.IssuedA, invoicing.Actor{})
	must(t, err)
	worker, err := mail.StartWorker(app)
	must(t, err)
	t.Cleanup(worker.Stop)

	poller := inbox.StartPoller(app)
	defer poller.Stop()
	// The mailboxes may hold mail of earlier runs: this run's names its message.
	ofThisRun := func(eventType, marker string) *core.Record {
		evs, _ := app.FindRecordsByFilter(invoicing.Events, "invoice = {:id} && type = {:t} && data ~ {:m}", "", 1, 0,
			dbx.Params{"id": apptest.IssuedA, "t": eventType, "m": marker})
		if len(evs) == 0 {
			return nil
		}
		return evs[0]
	}
	waitFor("the bounce", func() bool { return ofThisRun("bounced", msg.Id) != nil })
	bounced := ofThisRun("bounced", msg.Id)
	if data := bounced.GetString("data"); !strings.Contains(data, `"hard":true`) || !strings.Contains(data, "nobody@client.example") || !strings.Contains(data, msg.Id) {
		t.Errorf("the bounce is not a hard one tied to the message: %s", data)
	}
	if inv, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA); inv.GetString("delivery") != "bounced" {
		t.Errorf("delivery %s, want bounced", inv.GetString("delivery"))
	}

	// A Spanish reply as Thunderbird writes it: format=flowed (its first
	// line wrapped after "Lo "), quoted-printable, its quote opened by "El
	// 4/12/26 a las 15:09, … escribió:", which names no address.
	sent, _ := app.FindRecordById(mail.Messages, msg.Id)
	nonce := fmt.Sprint(time.Now().UnixNano())
	own := "¿Podéis indicar el número de pedido " + nonce + " en la factura? Lo necesitamos para tramitar el pago de 1.210,00 € antes del día 15."
	reply := strings.Join([]string{
		"From: " + mime.QEncoding.Encode("utf-8", "Ana Pérez") + " <ana@client.example>",
		"To: ar+" + apptest.IssuedA + "@billing.example.test",
		"Subject: " + mime.QEncoding.Encode("utf-8", "Re: "+sent.GetString("subject")),
		"In-Reply-To: " + sent.GetString("message_id"),
		"Message-ID: <reply-" + nonce + "@client.example>",
		"User-Agent: Mozilla Thunderbird",
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=UTF-8; format=flowed",
		"Content-Transfer-Encoding: quoted-printable",
		"",
		"=C2=BFPod=C3=A9is indicar el n=C3=BAmero de pedido " + nonce + " en la factura? Lo=20",
		"necesitamos para tramitar el pago de 1.210,00 =E2=82=AC antes del d=C3=ADa 15.",
		"",
		"El 4/12/26 a las 15:09, ACME Facturaci=C3=B3n escribi=C3=B3:",
		"> Le enviamos la factura adjunta. Quedamos a su disposici=C3=B3n.",
		"",
	}, "\r\n")
	must(t, smtp.SendMail(stackSubmission, nil, "ana@client.example", []string{"ar+" + apptest.IssuedA + "@billing.example.test"}, []byte(reply)))

	waitFor("the reply", func() bool { return ofThisRun("replied", nonce) != nil })
	var data struct {
		Text    string `json:"text"`
		Inbound string `json:"inbound"`
	}
	must(t, ofThisRun("replied", nonce).UnmarshalJSONField("data", &data))
	if data.Text != own {
		t.Errorf("the reply's text on the timeline is\n%q\nwant only what Ana wrote\n%q", data.Text, own)
	}
	inbound, err := app.FindRecordById(inbox.Inbound, data.Inbound)
	must(t, err)
	if inbound.GetString("text") != own || inbound.GetString("mailbox") != "ar@127.0.0.1/INBOX" {
		t.Errorf("the inbound record holds %q from %q", inbound.GetString("text"), inbound.GetString("mailbox"))
	}
}
