package mail_test

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"facturo/hooks/invoicing"
	mailpkg "facturo/hooks/mail"
	"facturo/internal/apptest"
	"facturo/internal/clock"
	"facturo/internal/smtptest"
)

// setup gives a test app whose issuer sends from firm.example through the
// test SMTP server, with VERP and per-invoice reply addresses set.
func setup(t testing.TB) (*tests.TestApp, *smtptest.Server) {
	t.Helper()
	app := apptest.New(t)
	server := smtptest.Start(t)
	useSMTP(t, app, server)
	issuer, _ := invoicing.LoadIssuer(app)
	issuer.Set("email_from", "facturas@firm.example")
	issuer.Set("trade_name", "Talleres Norte")
	must(t, app.Save(issuer))
	settings := mailSettings(t, app)
	settings.Set("bounce_address", "bounces@firm.example")
	settings.Set("reply_address", "ar@firm.example")
	must(t, app.Save(settings))
	return app, server
}

func useSMTP(t testing.TB, app core.App, server *smtptest.Server) {
	t.Helper()
	s := app.Settings()
	s.SMTP.Enabled, s.SMTP.Host, s.SMTP.Port = true, server.Host, server.Port
	must(t, app.Save(s))
}

func mailSettings(t testing.TB, app core.App) *core.Record {
	t.Helper()
	r, err := app.FindFirstRecordByFilter(mailpkg.MailSettings, "")
	must(t, err)
	return r
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func startWorker(t testing.TB, app core.App) {
	t.Helper()
	w, err := mailpkg.StartWorker(app)
	must(t, err)
	t.Cleanup(w.Stop)
}

// waitForStatus waits until the message reaches one of the statuses.
func waitForStatus(t testing.TB, app core.App, id string, statuses ...string) *core.Record {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		msg, err := app.FindRecordById(mailpkg.Messages, id)
		must(t, err)
		for _, s := range statuses {
			if msg.GetString("status") == s {
				return msg
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("message %s is %s (%s), never %v", id, msg.GetString("status"), msg.GetString("last_error"), statuses)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func issueA(t testing.TB, app core.App) *core.Record {
	t.Helper()
	inv, err := invoicing.Issue(app, apptest.DraftA, invoicing.Actor{Email: apptest.StaffEmail})
	must(t, err)
	return inv
}

func queue(t testing.TB, app core.App, invoiceID string) *core.Record {
	t.Helper()
	msg, err := mailpkg.Queue(app, invoiceID, invoicing.Actor{Email: apptest.StaffEmail})
	must(t, err)
	return msg
}

func events(t testing.TB, app core.App, invoiceID, eventType string) []*core.Record {
	t.Helper()
	evs, err := app.FindRecordsByFilter(invoicing.Events, "invoice = {:id} && type = {:t}", "created", 0, 0, map[string]any{"id": invoiceID, "t": eventType})
	must(t, err)
	return evs
}

func TestSendRouteQueuesAndReturnsAtOnce(t *testing.T) {
	app, _ := setup(t)
	base := apptest.Serve(t, app)
	inv := issueA(t, app)
	for _, tc := range []struct {
		token  string
		id     string
		status int
	}{
		{apptest.Tokens.ContactA, inv.Id, 403},
		{apptest.Tokens.Staff, apptest.DraftB, 400},
		{apptest.Tokens.Staff, "nosuchinvoice00", 404},
		{apptest.Tokens.Staff, inv.Id, 202},
	} {
		req, _ := http.NewRequest("POST", base+"/api/invoices/"+tc.id+"/send", nil)
		req.Header.Set("Authorization", tc.token)
		res, err := http.DefaultClient.Do(req)
		must(t, err)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tc.status {
			t.Errorf("send %s: %d %s, want %d", tc.id, res.StatusCode, body, tc.status)
		}
		if tc.status == 202 && !bytes.Contains(body, []byte(`"status":"queued"`)) {
			t.Errorf("the route did not answer with the queued message: %s", body)
		}
	}
	if got := find(t, app, inv.Id).GetString("delivery"); got != "queued" {
		t.Errorf("delivery %s, want queued", got)
	}
	if len(events(t, app, inv.Id, "queued")) != 1 {
		t.Error("no queued event")
	}
}

func find(t testing.TB, app core.App, id string) *core.Record {
	t.Helper()
	r, err := app.FindRecordById(invoicing.Invoices, id)
	must(t, err)
	return r
}

// TestInvoiceEmailArrivesAsDesigned sends an invoice through a real SMTP
// server on loopback and reads what arrived.
func TestInvoiceEmailArrivesAsDesigned(t *testing.T) {
	app, server := setup(t)
	inv := issueA(t, app)
	customer, _ := app.FindRecordById(invoicing.Customers, apptest.CustomerA)
	customer.Set("cc", "accounts@alfa.example, boss@alfa.example")
	must(t, app.Save(customer))
	msg := queue(t, app, inv.Id)
	startWorker(t, app)
	msg = waitForStatus(t, app, msg.Id, "sent")

	got := server.Received()
	if len(got) != 1 {
		t.Fatalf("%d messages arrived, want 1", len(got))
	}
	r := got[0]
	if want := "bounces+" + msg.Id + "@firm.example"; r.From != want {
		t.Errorf("MAIL FROM %s, want the VERP address %s", r.From, want)
	}
	if strings.Join(r.To, ",") != "billing@alfa.example,accounts@alfa.example,boss@alfa.example" {
		t.Errorf("RCPT TO %v", r.To)
	}
	if r.Return != smtp.DSNReturnHeaders {
		t.Errorf("RET=%q, want HDRS", r.Return)
	}
	for _, n := range r.Notify {
		if len(n) != 2 || n[0] != smtp.DSNNotifyFailure || n[1] != smtp.DSNNotifyDelayed {
			t.Errorf("NOTIFY=%v, want FAILURE,DELAY", n)
		}
	}

	m, err := mail.ReadMessage(bytes.NewReader(r.Data))
	must(t, err)
	h := m.Header
	number := inv.GetString("number")
	dec := new(mime.WordDecoder)
	subject, _ := dec.DecodeHeader(h.Get("Subject"))
	if subject != "Factura "+number+" de Talleres Norte" {
		t.Errorf("Subject %q", subject)
	}
	if id := h.Get("Message-Id"); !strings.HasSuffix(id, "@firm.example>") || id != msg.GetString("message_id") {
		t.Errorf("Message-ID %q (stored %q)", id, msg.GetString("message_id"))
	}
	if rt := h.Get("Reply-To"); !strings.Contains(rt, "ar+"+inv.Id+"@firm.example") {
		t.Errorf("Reply-To %q", rt)
	}
	if h.Get("X-Invoice-Id") != inv.Id {
		t.Errorf("X-Invoice-ID %q", h.Get("X-Invoice-Id"))
	}
	parts := mimeParts(t, m)
	if !strings.Contains(parts["text/plain"], number) || !strings.Contains(parts["text/plain"], "121,00 €") {
		t.Errorf("the text part lacks the number or the total:\n%s", parts["text/plain"])
	}
	if !strings.Contains(parts["text/html"], "<html") || !strings.Contains(parts["text/html"], number) {
		t.Errorf("no HTML part naming the invoice")
	}
	stored, err := invoicing.RenderPDF(app, find(t, app, inv.Id))
	must(t, err)
	if !bytes.Equal([]byte(parts["Factura-"+number+".pdf"]), stored) {
		t.Errorf("the attached PDF (%d bytes) is not the stored one (%d bytes)", len(parts["Factura-"+number+".pdf"]), len(stored))
	}

	if got := find(t, app, inv.Id).GetString("delivery"); got != "sent" {
		t.Errorf("delivery %s, want sent", got)
	}
	if len(events(t, app, inv.Id, "sent")) != 1 {
		t.Error("no sent event on the timeline")
	}
}

// mimeParts walks a message and returns each leaf part's decoded body by
// content type, or by file name for attachments.
func mimeParts(t testing.TB, m *mail.Message) map[string]string {
	t.Helper()
	out := map[string]string{}
	var walk func(contentType string, body io.Reader, disposition string)
	walk = func(contentType string, body io.Reader, disposition string) {
		mediaType, params, err := mime.ParseMediaType(contentType)
		must(t, err)
		if strings.HasPrefix(mediaType, "multipart/") {
			mr := multipart.NewReader(body, params["boundary"])
			for {
				p, err := mr.NextRawPart()
				if err == io.EOF {
					return
				}
				must(t, err)
				walk(p.Header.Get("Content-Type"), decoded(t, p.Header.Get("Content-Transfer-Encoding"), p), p.Header.Get("Content-Disposition"))
			}
		}
		b, err := io.ReadAll(body)
		must(t, err)
		key := mediaType
		if _, dp, err := mime.ParseMediaType(disposition); err == nil && dp["filename"] != "" {
			key = dp["filename"]
		}
		out[key] = string(b)
	}
	walk(m.Header.Get("Content-Type"), decoded(t, m.Header.Get("Content-Transfer-Encoding"), m.Body), "")
	return out
}

func decoded(t testing.TB, encoding string, r io.Reader) io.Reader {
	switch strings.ToLower(encoding) {
	case "base64":
		return base64Reader(r)
	case "quoted-printable":
		return quotedPrintableReader(r)
	}
	return r
}

func TestTemporaryFailureIsRetriedThenSent(t *testing.T) {
	app, server := setup(t)
	server.ReplyWith(smtptest.Reject(451, 4, 3, 0, "Greylisted, try again later"))
	inv := issueA(t, app)
	msg := queue(t, app, inv.Id)
	startWorker(t, app)

	msg = waitForStatus(t, app, msg.Id, "retry")
	wait := time.Until(msg.GetDateTime("next_attempt_at").Time())
	if wait < 50*time.Second || wait > 61*time.Second {
		t.Errorf("first retry in %v, want about a minute", wait)
	}
	if !strings.Contains(msg.GetString("last_error"), "451") || !strings.Contains(msg.GetString("last_error"), "Greylisted") {
		t.Errorf("last_error %q does not record the reply", msg.GetString("last_error"))
	}
	failed := events(t, app, inv.Id, "send_failed")
	if len(failed) != 1 || !strings.Contains(failed[0].GetString("data"), `"code":451`) || !strings.Contains(failed[0].GetString("data"), `"temporary":true`) {
		t.Fatalf("send_failed events: %v", failed)
	}
	if got := find(t, app, inv.Id).GetString("delivery"); got != "queued" {
		t.Errorf("delivery %s during retries, want queued", got)
	}

	// The minute passes.
	msg.Set("next_attempt_at", time.Now().UTC())
	must(t, app.Save(msg))
	msg = waitForStatus(t, app, msg.Id, "sent")
	if msg.GetInt("attempts") != 2 || len(server.Received()) != 1 {
		t.Errorf("attempts %d, arrived %d", msg.GetInt("attempts"), len(server.Received()))
	}
	if got := find(t, app, inv.Id).GetString("delivery"); got != "sent" {
		t.Errorf("delivery %s, want sent", got)
	}
}

func TestPermanentFailureFailsAtOnceAndSaysWhy(t *testing.T) {
	app, server := setup(t)
	server.ReplyWith(smtptest.Reject(550, 5, 1, 1, "User unknown"))
	inv := issueA(t, app)
	msg := queue(t, app, inv.Id)
	startWorker(t, app)
	msg = waitForStatus(t, app, msg.Id, "failed", "retry")
	if msg.GetString("status") != "failed" || msg.GetInt("attempts") != 1 {
		t.Fatalf("status %s after %d attempts, want failed after 1", msg.GetString("status"), msg.GetInt("attempts"))
	}
	if got := find(t, app, inv.Id).GetString("delivery"); got != "failed" {
		t.Errorf("delivery %s, want failed", got)
	}
	failed := events(t, app, inv.Id, "send_failed")
	if len(failed) != 1 || !strings.Contains(failed[0].GetString("data"), `"code":550`) || !strings.Contains(failed[0].GetString("data"), "User unknown") {
		t.Errorf("the timeline does not show the 550 and its text: %v", failed)
	}
}

func TestServerDownIsATemporaryFailure(t *testing.T) {
	app, server := setup(t)
	server.Close()
	inv := issueA(t, app)
	msg := queue(t, app, inv.Id)
	startWorker(t, app)
	msg = waitForStatus(t, app, msg.Id, "retry", "failed")
	if msg.GetString("status") != "retry" || !strings.Contains(msg.GetString("last_error"), "refused") {
		t.Errorf("status %s, error %q: want a retry after a refused connection", msg.GetString("status"), msg.GetString("last_error"))
	}
}

func TestWithoutSMTPMailWaitsAndStaffSeeWhy(t *testing.T) {
	app := apptest.New(t)
	inv := issueA(t, app)
	msg := queue(t, app, inv.Id)
	startWorker(t, app)
	// The worker writes the reason on the settings, then on the message.
	reasonOnMessage := func() bool {
		m, err := app.FindRecordById(mailpkg.Messages, msg.Id)
		return err == nil && m.GetString("last_error") != ""
	}
	deadline := time.Now().Add(10 * time.Second)
	for (mailSettings(t, app).GetString("status") == "" || !reasonOnMessage()) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if s := mailSettings(t, app).GetString("status"); !strings.Contains(s, "SMTP is not configured") {
		t.Errorf("mail_settings.status %q does not say why mail waits", s)
	}
	msg, _ = app.FindRecordById(mailpkg.Messages, msg.Id)
	if msg.GetString("status") != "queued" || !strings.Contains(msg.GetString("last_error"), "SMTP is not configured") {
		t.Errorf("message %s (%q), want queued with the reason", msg.GetString("status"), msg.GetString("last_error"))
	}
}

func TestFolderDeliveryWritesEMLFiles(t *testing.T) {
	app := apptest.New(t)
	issuer, _ := invoicing.LoadIssuer(app)
	issuer.Set("email_from", "facturas@firm.example")
	must(t, app.Save(issuer))
	settings := mailSettings(t, app)
	settings.Set("delivery", "folder")
	must(t, app.Save(settings))
	inv := issueA(t, app)
	msg := queue(t, app, inv.Id)
	startWorker(t, app)
	waitForStatus(t, app, msg.Id, "sent")
	files, _ := filepath.Glob(filepath.Join(app.DataDir(), "outbox", "*.eml"))
	if len(files) != 1 {
		t.Fatalf("%d .eml files, want 1", len(files))
	}
	raw, _ := os.ReadFile(files[0])
	if !bytes.Contains(raw, []byte(inv.GetString("number"))) || !bytes.Contains(raw, []byte("application/pdf")) {
		t.Errorf("the .eml file lacks the invoice number or the PDF")
	}
}

func TestSendOnIssueQueuesTheEmail(t *testing.T) {
	app, server := setup(t)
	settings := mailSettings(t, app)
	settings.Set("send_on_issue", true)
	must(t, app.Save(settings))
	startWorker(t, app)
	inv := issueA(t, app)
	msgs, err := app.FindRecordsByFilter(mailpkg.Messages, "invoice = {:id}", "", 0, 0, map[string]any{"id": inv.Id})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("%d messages after issuing, want 1: %v", len(msgs), err)
	}
	waitForStatus(t, app, msgs[0].Id, "sent")
	if len(server.Received()) != 1 {
		t.Errorf("%d messages arrived", len(server.Received()))
	}
}

// TestIssueAndSendCommitTogether issues an invoice and queues its email in
// one transaction: both are there after it, and when anything fails after
// the email was queued (here a later issuing handler, as a crash before
// the commit would), neither is: no number taken, no message, no event.
func TestIssueAndSendCommitTogether(t *testing.T) {
	app := apptest.New(t)
	inv, err := invoicing.IssueAndSend(app, apptest.DraftA, invoicing.Actor{Email: apptest.StaffEmail})
	must(t, err)
	if inv.GetString("delivery") != "queued" {
		t.Errorf("the issued invoice's delivery is %s, want queued", inv.GetString("delivery"))
	}
	if msgs, _ := app.FindRecordsByFilter(mailpkg.Messages, "invoice = {:id}", "", 0, 0, map[string]any{"id": inv.Id}); len(msgs) != 1 {
		t.Errorf("%d messages queued with the issue, want 1", len(msgs))
	}

	invoicing.OnIssuing(app).BindFunc(func(e *invoicing.IssuingEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		return errors.New("the disk is full")
	})
	messages, _ := app.CountRecords(mailpkg.Messages)
	evs, _ := app.CountRecords(invoicing.Events)
	if _, err := invoicing.IssueAndSend(app, apptest.DraftB, invoicing.Actor{Email: apptest.StaffEmail}); err == nil {
		t.Fatal("the issue went through although its transaction failed")
	}
	b := find(t, app, apptest.DraftB)
	if b.GetString("status") != invoicing.StatusDraft || b.GetString("number") != "" || b.GetString("delivery") != "not_sent" {
		t.Errorf("the failed issue left %s %q %s", b.GetString("status"), b.GetString("number"), b.GetString("delivery"))
	}
	if n, _ := app.CountRecords(mailpkg.Messages); n != messages {
		t.Errorf("the failed issue left %d messages", n-messages)
	}
	if n, _ := app.CountRecords(invoicing.Events); n != evs {
		t.Errorf("the failed issue left %d events", n-evs)
	}
}

// TestIssueAndSendToACustomerWithoutAddress issues the invoice, which then
// waits in the workspace's "issued, not sent" list.
func TestIssueAndSendToACustomerWithoutAddress(t *testing.T) {
	app := apptest.New(t)
	c, err := app.FindRecordById(invoicing.Customers, apptest.CustomerA)
	must(t, err)
	c.Set("email", "")
	must(t, app.Save(c))
	inv, err := invoicing.IssueAndSend(app, apptest.DraftA, invoicing.Actor{Email: apptest.StaffEmail})
	must(t, err)
	if inv.GetString("status") != invoicing.StatusIssued || inv.GetString("delivery") != "not_sent" {
		t.Errorf("%s %s", inv.GetString("status"), inv.GetString("delivery"))
	}
	var unsent []string
	must(t, invoicing.EachInvoice(app, invoicing.Filter{State: "unsent"}, func(r invoicing.Row) error {
		unsent = append(unsent, r.ID)
		return nil
	}))
	// The fixture's two issued invoices were never sent either.
	if !slices.Contains(unsent, inv.Id) || len(unsent) != 3 {
		t.Errorf("issued, not sent: %v", unsent)
	}
	firm, err := invoicing.FirmOverview(app, clock.Now())
	must(t, err)
	if firm.Unsent != 3 {
		t.Errorf("the overview counts %d issued, not sent", firm.Unsent)
	}
}
