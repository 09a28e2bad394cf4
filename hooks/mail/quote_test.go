package mail_test

import (
	"bytes"
	"mime"
	"net/http"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/inbox"
	mailpkg "facturo/hooks/mail"
	"facturo/hooks/quotes"
	"facturo/internal/apptest"
	"facturo/internal/imaptest"
)

// finishedQuote is a finished quote of customer A.
func finishedQuote(t testing.TB, app core.App) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(quotes.Collection)
	must(t, err)
	q := core.NewRecord(col)
	q.Load(map[string]any{"customer": apptest.CustomerA, "status": quotes.StatusDraft, "currency": "EUR",
		"lines": `[{"description":"Reforma","quantity":2,"unit_price":"1000","vat":21}]`})
	must(t, app.Save(q))
	q, err = quotes.Finish(app, q.Id, apptest.StaffEmail)
	must(t, err)
	return q
}

func findQuote(t testing.TB, app core.App, id string) *core.Record {
	t.Helper()
	r, err := app.FindRecordById(quotes.Collection, id)
	must(t, err)
	return r
}

func decodeHeader(h string) string {
	s, err := new(mime.WordDecoder).DecodeHeader(h)
	if err != nil {
		return h
	}
	return s
}

func quoteEvents(t testing.TB, app core.App, quoteID, typ string) []*core.Record {
	t.Helper()
	evs, err := app.FindRecordsByFilter(quotes.Events, "quote = {:q} && type = {:t}", "created", 0, 0, map[string]any{"q": quoteID, "t": typ})
	must(t, err)
	return evs
}

// TestAQuoteIsEmailedAndTrackedLikeAnInvoice sends a quote through the
// outbox to a real SMTP server and checks the e-mail (the firm's sender,
// the VERP envelope, the PDF, the image and the link), then follows the
// image and the link, and reads the mail server's delivery report and
// bounce from a real IMAP mailbox: each lands on the quote's own timeline,
// and none on any invoice's.
func TestAQuoteIsEmailedAndTrackedLikeAnInvoice(t *testing.T) {
	app, server := setup(t)
	q := finishedQuote(t, app)
	invoiceEvents, _ := app.CountRecords("events")
	msg, err := mailpkg.QueueQuote(app, q.Id, quotes.Actor{Email: apptest.StaffEmail})
	must(t, err)
	startWorker(t, app)
	msg = waitForStatus(t, app, msg.Id, "sent")
	msg.Set("sent_at", time.Now().Add(-time.Minute))
	must(t, app.Save(msg))

	got := server.Received()
	if len(got) != 1 {
		t.Fatalf("%d e-mails arrived", len(got))
	}
	if got[0].From != "bounces+"+msg.Id+"@firm.example" {
		t.Errorf("envelope sender %q, want the VERP address of the message", got[0].From)
	}
	arrived, err := mail.ReadMessage(bytes.NewReader(got[0].Data))
	must(t, err)
	number := q.GetString("number")
	if from := arrived.Header.Get("From"); !strings.Contains(from, "Talleres Norte") || !strings.Contains(from, "facturas@firm.example") {
		t.Errorf("From %q", from)
	}
	if s := decodeHeader(arrived.Header.Get("Subject")); s != "Presupuesto "+number+" de Talleres Norte" {
		t.Errorf("subject %q", s)
	}
	parts := mimeParts(t, arrived)
	if !strings.Contains(string(got[0].Data), "Presupuesto-"+number+".pdf") {
		t.Error("the quote's PDF is not attached under its name")
	}
	var pixel, view string
	for _, m := range linkPattern.FindAllStringSubmatch(parts["text/html"], -1) {
		switch m[1] {
		case "t":
			pixel = m[2]
		case "v":
			view = m[2]
		}
	}
	if pixel == "" || view == "" {
		t.Fatalf("the e-mail carries no image or link:\n%s", parts["text/html"])
	}
	if stored := findQuote(t, app, q.Id); stored.GetString("delivery") != "sent" || len(quoteEvents(t, app, q.Id, "queued")) != 1 || len(quoteEvents(t, app, q.Id, "sent")) != 1 {
		t.Errorf("the quote's delivery is %q, not sent, or its timeline lacks queued and sent", stored.GetString("delivery"))
	}

	base := apptest.Serve(t, app)
	get(t, "GET", base+"/t/"+pixel, personUA)
	if n := len(quoteEvents(t, app, q.Id, "opened")); n != 1 || findQuote(t, app, q.Id).GetDateTime("opened_at").IsZero() {
		t.Errorf("%d opened events after a person's image load", n)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest("GET", base+"/v/"+view, nil)
	req.Header.Set("User-Agent", personUA)
	res, err := noRedirect.Do(req)
	must(t, err)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/portal/quotes/"+q.Id {
		t.Errorf("the link answers %d to %q, not the quote's page in the portal", res.StatusCode, res.Header.Get("Location"))
	}
	viewed := quoteEvents(t, app, q.Id, "viewed")
	if len(viewed) != 1 || viewed[0].GetString("actor_email") != "billing@alfa.example" || findQuote(t, app, q.Id).GetDateTime("viewed_at").IsZero() {
		t.Errorf("following the link is not a view by its recipient: %v", viewed)
	}
	status, h, pdf := get(t, "GET", base+"/v/"+view+"/pdf", personUA)
	if status != 200 || !bytes.HasPrefix(pdf, []byte("%PDF-")) || !strings.Contains(h.Get("Content-Disposition"), number+".pdf") {
		t.Errorf("the PDF through the link: %d %q", status, h.Get("Content-Disposition"))
	}
	if d := quoteEvents(t, app, q.Id, "downloaded"); len(d) != 1 || d[0].GetString("actor_email") != "billing@alfa.example" {
		t.Errorf("the download is not on the quote's timeline: %v", d)
	}

	// The mail server's reports come back to the firm's mailbox.
	imap := imaptest.Start(t)
	col, err := app.FindCollectionByNameOrId(inbox.InboxMailboxes)
	must(t, err)
	box := core.NewRecord(col)
	box.Load(map[string]any{"enabled": true, "host": imap.Host, "port": imap.Port, "tls": "none",
		"username": imaptest.Username, "password": imaptest.Password, "mailbox": "INBOX"})
	must(t, app.Save(box))
	for _, f := range []string{"04-inv-005-Successful-Mail-Delivery-Report.eml", "05-inv-004-Undelivered-Mail-Returned-to-Sender.eml"} {
		raw, err := os.ReadFile(filepath.Join("..", "..", "internal", "classify", "testdata", "postfix", f))
		must(t, err)
		imap.Append(t, "INBOX", regexp.MustCompile(`inv-\d{3}`).ReplaceAll(raw, []byte(msg.Id)))
	}
	poller := inbox.StartPoller(app)
	t.Cleanup(poller.Stop)
	eventually(t, func() int { return len(quoteEvents(t, app, q.Id, "bounced")) }, 1)
	if len(quoteEvents(t, app, q.Id, "delivered")) != 1 || len(quoteEvents(t, app, q.Id, "bounced")) != 1 {
		t.Errorf("the delivery report and the bounce are not on the quote's timeline")
	}
	if d := findQuote(t, app, q.Id).GetString("delivery"); d != "bounced" {
		t.Errorf("the quote's delivery is %q after the bounce", d)
	}
	if m, _ := app.FindRecordById(mailpkg.Messages, msg.Id); m.GetString("status") != "bounced" {
		t.Errorf("the message is %s after the bounce", m.GetString("status"))
	}
	if n, _ := app.CountRecords("events"); n != invoiceEvents {
		t.Errorf("the quote's e-mail wrote %d events on invoices' timelines", n-invoiceEvents)
	}
}

// TestADraftQuoteIsNotSent: only a finished quote goes to the customer.
func TestADraftQuoteIsNotSent(t *testing.T) {
	app, _ := setup(t)
	col, err := app.FindCollectionByNameOrId(quotes.Collection)
	must(t, err)
	q := core.NewRecord(col)
	q.Load(map[string]any{"customer": apptest.CustomerA, "status": quotes.StatusDraft, "currency": "EUR", "lines": "[]"})
	must(t, app.Save(q))
	if _, err := mailpkg.QueueQuote(app, q.Id, quotes.Actor{}); err == nil {
		t.Fatal("a draft quote was queued")
	}
	if n, _ := app.CountRecords(mailpkg.Messages); n != 0 {
		t.Errorf("%d messages queued", n)
	}
}
