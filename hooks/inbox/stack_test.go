package inbox_test

import (
	"fmt"
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
// address that does not exist, lets Postfix produce the real bounce, reads
// it from Dovecot, then does the same for a customer's reply.
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

	useMailbox := func(user string) {
		settings, err := app.FindFirstRecordByFilter(inbox.InboxSettings, "")
		must(t, err)
		settings.Load(map[string]any{
			"enabled": true, "host": "127.0.0.1", "port": stackIMAPPort, "tls": "none", "username": user, "password": "pw",
			"poll_seconds": 5, "after_reading": "flag", "uid_validity": 0, "last_uid": 0,
		})
		must(t, app.Save(settings))
	}
	waitFor := func(what string, ok func() bool) {
		deadline := time.Now().Add(60 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				settings, _ := app.FindFirstRecordByFilter(inbox.InboxSettings, "")
				t.Fatalf("%s did not happen within 60 s (inbox error: %q)", what, settings.GetString("last_error"))
			}
			time.Sleep(200 * time.Millisecond)
		}
	}

	msg, err := mail.Queue(app, apptest.IssuedA, invoicing.Actor{})
	must(t, err)
	worker, err := mail.StartWorker(app)
	must(t, err)
	t.Cleanup(worker.Stop)

	useMailbox("bounces")
	poller := inbox.StartPoller(app)
	// The mailbox may hold bounces of earlier runs: this run's names its message.
	ofThisRun := func(eventType, marker string) *core.Record {
		evs, _ := app.FindRecordsByFilter(invoicing.Events, "invoice = {:id} && type = {:t} && data ~ {:m}", "", 1, 0,
			dbx.Params{"id": apptest.IssuedA, "t": eventType, "m": marker})
		if len(evs) == 0 {
			return nil
		}
		return evs[0]
	}
	waitFor("the bounce", func() bool { return ofThisRun("bounced", msg.Id) != nil })
	poller.Stop()
	bounced := ofThisRun("bounced", msg.Id)
	if data := bounced.GetString("data"); !strings.Contains(data, `"hard":true`) || !strings.Contains(data, "nobody@client.example") || !strings.Contains(data, msg.Id) {
		t.Errorf("the bounce is not a hard one tied to the message: %s", data)
	}
	if inv, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA); inv.GetString("delivery") != "bounced" {
		t.Errorf("delivery %s, want bounced", inv.GetString("delivery"))
	}

	sent, _ := app.FindRecordById(mail.Messages, msg.Id)
	nonce := fmt.Sprint(time.Now().UnixNano())
	reply := fmt.Sprintf("From: Ana <ana@client.example>\r\nTo: ar+%s@billing.example.test\r\nSubject: Re: %s\r\nIn-Reply-To: %s\r\n"+
		"Message-ID: <reply-%s@client.example>\r\n\r\n¿Podéis indicar el número de pedido %s?\r\n\r\nEl %s escribió:\r\n> Le enviamos la factura\r\n",
		apptest.IssuedA, sent.GetString("subject"), sent.GetString("message_id"), nonce, nonce, time.Now().Format("02/01/2006"))
	must(t, smtp.SendMail(stackSubmission, nil, "ana@client.example", []string{"ar+" + apptest.IssuedA + "@billing.example.test"}, []byte(reply)))

	useMailbox("ar")
	poller = inbox.StartPoller(app)
	defer poller.Stop()
	waitFor("the reply", func() bool { return ofThisRun("replied", nonce) != nil })
	replied := ofThisRun("replied", nonce)
	if data := replied.GetString("data"); !strings.Contains(data, "número de pedido") || strings.Contains(data, "Le enviamos") {
		t.Errorf("the reply's new text is not on the timeline, or the quote is: %s", data)
	}
}
