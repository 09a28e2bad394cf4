package inbox_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"facturo/hooks/inbox"
	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
	"facturo/internal/apptest"
	"facturo/internal/imaptest"
)

// world is an app whose invoice A was emailed (message msg), and a mailbox
// on a real IMAP server that the app is set to read.
type world struct {
	app     *tests.TestApp
	imap    *imaptest.Server
	box     *core.Record // the row reading the INBOX of imaptest.Username
	msg     *core.Record
	invoice string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	app := apptest.New(t)
	msg, err := mail.Queue(app, apptest.IssuedA, invoicing.Actor{})
	must(t, err)
	issuer, _ := invoicing.LoadIssuer(app)
	issuer.Set("email_reply_to", "staff@firm.example")
	must(t, app.Save(issuer))
	server := imaptest.Start(t)
	settings, err := app.FindFirstRecordByFilter(inbox.InboxSettings, "")
	must(t, err)
	settings.Set("poll_seconds", 5)
	must(t, app.Save(settings))
	w := &world{app: app, imap: server, msg: msg, invoice: apptest.IssuedA}
	w.box = w.addMailbox(t, imaptest.Username, "INBOX", nil)
	return w
}

// addMailbox adds a row of inbox_mailboxes reading a user's folder on the
// world's IMAP server.
func (w *world) addMailbox(t *testing.T, username, folder string, more map[string]any) *core.Record {
	t.Helper()
	col, err := w.app.FindCollectionByNameOrId(inbox.InboxMailboxes)
	must(t, err)
	r := core.NewRecord(col)
	r.Load(map[string]any{
		"enabled": true, "host": w.imap.Host, "port": w.imap.Port, "tls": "none",
		"username": username, "password": imaptest.Password, "mailbox": folder,
	})
	r.Load(more)
	must(t, w.app.Save(r))
	return r
}

// lastError is what the mailbox row shows staff of its last error.
func (w *world) lastError(t *testing.T, box *core.Record) string {
	t.Helper()
	r, err := w.app.FindRecordById(inbox.InboxMailboxes, box.Id)
	must(t, err)
	return r.GetString("last_error")
}

var fixtureID = regexp.MustCompile(`inv-\d{3}`)

// fixture is a Postfix report or reply (internal/classify/testdata), rewritten so that
// its VERP address, Message-IDs and ar+ address name our message.
func (w *world) fixture(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "internal", "classify", "testdata", "postfix", name))
	must(t, err)
	return fixtureID.ReplaceAll(raw, []byte(w.msg.Id))
}

func (w *world) startPoller(t *testing.T) *inbox.Poller {
	t.Helper()
	p := inbox.StartPoller(w.app)
	t.Cleanup(p.Stop)
	return p
}

// waitInbound waits until the inbound collection holds n messages.
func (w *world) waitInbound(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		got, err := w.app.CountRecords(inbox.Inbound)
		must(t, err)
		if int(got) == n {
			return
		}
		if int(got) > n {
			t.Fatalf("%d inbound messages, want %d", got, n)
		}
		if time.Now().After(deadline) {
			var errs []string
			boxes, _ := w.app.FindAllRecords(inbox.InboxMailboxes)
			for _, b := range boxes {
				errs = append(errs, b.GetString("last_error"))
			}
			t.Fatalf("%d inbound messages after 20 s, want %d (last errors: %q)", got, n, errs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// eventually waits up to 5 s for what the poller does after a message's
// commit; the caller then asserts the outcome either way.
func eventually(done func() bool) {
	for deadline := time.Now().Add(5 * time.Second); !done() && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
}

func (w *world) events(t *testing.T, eventType string) []*core.Record {
	t.Helper()
	evs, err := w.app.FindRecordsByFilter(invoicing.Events, "invoice = {:id} && type = {:t}", "created", 0, 0, dbx.Params{"id": w.invoice, "t": eventType})
	must(t, err)
	return evs
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestPostfixReportsAndRepliesBecomeTheInvoicesStory reads real Postfix
// reports and replies from a real IMAP server and checks what each one did
// to the invoice.
func TestPostfixReportsAndRepliesBecomeTheInvoicesStory(t *testing.T) {
	w := newWorld(t)
	files := []string{
		"04-inv-005-Successful-Mail-Delivery-Report.eml",
		"03-inv-004-Delayed-Mail-still-being-retried-.eml",
		"05-inv-004-Undelivered-Mail-Returned-to-Sender.eml",
		"06-inv-101-Automatic-reply-Invoice-inv-101.eml",
		"07-inv-101-Re-Invoice-inv-101.eml",
		"02-inv-002-Undelivered-Mail-Returned-to-Sender.eml",
	}
	for _, f := range files {
		w.imap.Append(t, "INBOX", w.fixture(t, f))
	}
	w.startPoller(t)
	w.waitInbound(t, len(files))

	unmatched, _ := w.app.CountRecords(inbox.Inbound, dbx.HashExp{"matched": false})
	if unmatched != 0 {
		t.Errorf("%d messages were not tied to the invoice", unmatched)
	}
	for typ, want := range map[string]int{"delivered": 1, "delayed": 1, "bounced": 2, "auto_replied": 1, "replied": 1} {
		if got := len(w.events(t, typ)); got != want {
			t.Errorf("%d %s events, want %d", got, typ, want)
		}
	}
	bounces := w.events(t, "bounced")
	if soft := bounces[0].GetString("data"); !strings.Contains(soft, `"hard":false`) || !strings.Contains(soft, `"status":"4.4.1"`) {
		t.Errorf("the expiry is not a soft bounce with its 4.4.1 status: %s", soft)
	}
	if hard := bounces[1].GetString("data"); !strings.Contains(hard, `"hard":true`) || !strings.Contains(hard, "nobody@client.example") || !strings.Contains(hard, "5.1.0") {
		t.Errorf("the rejection is not a hard bounce naming the address: %s", hard)
	}
	if reply := w.events(t, "replied")[0].GetString("data"); !strings.Contains(reply, "Please send PO number.") {
		t.Errorf("the reply's text is not on the timeline: %s", reply)
	}
	inv, _ := w.app.FindRecordById(invoicing.Invoices, w.invoice)
	if inv.GetString("delivery") != "bounced" {
		t.Errorf("delivery %s, want bounced", inv.GetString("delivery"))
	}
	msg, _ := w.app.FindRecordById(mail.Messages, w.msg.Id)
	if msg.GetString("status") != "bounced" {
		t.Errorf("message status %s, want bounced", msg.GetString("status"))
	}
	customer, _ := w.app.FindRecordById(invoicing.Customers, apptest.CustomerA)
	if !customer.GetBool("email_bouncing") || !strings.Contains(customer.GetString("email_bounce_note"), "nobody@client.example") {
		t.Errorf("the customer's address is not flagged as bouncing: %v", customer.FieldsData())
	}
	// The notice and the move follow the commit of the last message, so
	// they are waited for; the assertions after each wait are exact.
	// The outbox holds the invoice's e-mail, then the notice.
	eventually(func() bool { return apptest.MailCount(t, w.app) > 1 })
	if apptest.MailCount(t, w.app) != 2 || !strings.Contains(apptest.LastMail(t, w.app).Subject, "nobody@client.example") ||
		apptest.LastMail(t, w.app).To[0].Address != "staff@firm.example" {
		t.Errorf("staff were not told of the bouncing address (%d mails)", apptest.MailCount(t, w.app))
	}
	eventually(func() bool { return w.imap.Count(t, "Processed") >= len(files) })
	if w.imap.Count(t, "INBOX") != 0 || w.imap.Count(t, "Processed") != len(files) {
		t.Errorf("INBOX holds %d, Processed %d: read mail is moved, never deleted", w.imap.Count(t, "INBOX"), w.imap.Count(t, "Processed"))
	}
}

// TestRestartReadsNothingTwiceAndSurvivesTheServerGoingAway stops the
// poller, restarts it, stops the IMAP server and brings it back, and checks
// that each message is processed once.
func TestRestartReadsNothingTwiceAndSurvivesTheServerGoingAway(t *testing.T) {
	w := newWorld(t)
	w.box.Set("after_reading", "flag") // messages stay in INBOX: only the checkpoint prevents reading them again
	must(t, w.app.Save(w.box))
	w.imap.Append(t, "INBOX", w.fixture(t, "07-inv-101-Re-Invoice-inv-101.eml"))
	first := w.startPoller(t)
	w.waitInbound(t, 1)
	first.Stop()

	w.startPoller(t)
	w.imap.Append(t, "INBOX", w.fixture(t, "06-inv-101-Automatic-reply-Invoice-inv-101.eml"))
	w.waitInbound(t, 2)
	time.Sleep(300 * time.Millisecond)
	if n, _ := w.app.CountRecords(inbox.Inbound); n != 2 {
		t.Fatalf("%d inbound messages after a restart, want 2", n)
	}

	w.imap.Stop()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if w.lastError(t, w.box) != "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the server went away and no error is shown to staff")
		}
		time.Sleep(20 * time.Millisecond)
	}
	w.imap.Append(t, "INBOX", w.fixture(t, "04-inv-005-Successful-Mail-Delivery-Report.eml"))
	w.imap.Restart(t)
	w.waitInbound(t, 3)
	if len(w.events(t, "replied")) != 1 || len(w.events(t, "auto_replied")) != 1 || len(w.events(t, "delivered")) != 1 {
		t.Errorf("events after the restarts: replied %d, auto_replied %d, delivered %d",
			len(w.events(t, "replied")), len(w.events(t, "auto_replied")), len(w.events(t, "delivered")))
	}
}

// TestWhatCannotBeMatchedWaitsForStaff keeps a message that names nothing
// of ours in the unmatched list.
func TestWhatCannotBeMatchedWaitsForStaff(t *testing.T) {
	w := newWorld(t)
	w.imap.Append(t, "INBOX", []byte("From: Someone <someone@else.example>\r\nTo: ar@firm.example\r\nSubject: Hello\r\nMessage-ID: <x1@else.example>\r\n\r\nAre you open on Saturday?\r\n"))
	w.startPoller(t)
	w.waitInbound(t, 1)
	r, err := w.app.FindFirstRecordByFilter(inbox.Inbound, "matched = false")
	if err != nil || r.GetString("subject") != "Hello" {
		t.Fatalf("the message is not in the unmatched list: %v", err)
	}
	if n, _ := w.app.CountRecords(invoicing.Events, dbx.NewExp("type IN ('replied','auto_replied','bounced')")); n != 0 {
		t.Errorf("an unmatched message put %d events on a timeline", n)
	}
}
