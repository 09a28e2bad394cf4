package mail_test

import (
	"bytes"
	"net/mail"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/smtptest"
)

// TestStaffAnswerGoesThroughTheOutboxAndOnTheTimeline answers a customer's
// question: the email carries the text and no PDF, the timeline keeps the
// answer, and the invoice's delivery state stays the invoice email's.
func TestStaffAnswerGoesThroughTheOutboxAndOnTheTimeline(t *testing.T) {
	app, server := setup(t)
	base := apptest.Serve(t, app)
	inv := issueA(t, app)
	delivery := find(t, app, inv.Id).GetString("delivery")

	res := postJSON(t, base+"/api/invoices/"+inv.Id+"/answer", apptest.Tokens.Staff, `{"text":"El número de pedido es 4711.\nUn saludo."}`)
	if res != 202 {
		t.Fatalf("answer: %d", res)
	}
	if got := postJSON(t, base+"/api/invoices/"+inv.Id+"/answer", apptest.Tokens.ContactA, `{"text":"x"}`); got != 403 {
		t.Errorf("a contact answering as staff: %d", got)
	}
	if got := postJSON(t, base+"/api/invoices/"+inv.Id+"/answer", apptest.Tokens.Staff, `{"text":"  "}`); got != 400 {
		t.Errorf("an empty answer: %d", got)
	}
	startWorker(t, app)
	msgs, _ := app.FindRecordsByFilter("messages", "kind = 'answer'", "", 0, 0)
	if len(msgs) != 1 {
		t.Fatalf("%d answer messages", len(msgs))
	}
	waitForStatus(t, app, msgs[0].Id, "sent")
	m, err := mail.ReadMessage(bytes.NewReader(server.Received()[0].Data))
	must(t, err)
	parts := mimeParts(t, m)
	if !strings.Contains(parts["text/plain"], "El número de pedido es 4711.") || !strings.Contains(m.Header.Get("Subject"), "Re") {
		t.Errorf("the answer email: %q %q", m.Header.Get("Subject"), parts["text/plain"])
	}
	for name := range parts {
		if strings.HasSuffix(name, ".pdf") {
			t.Error("the answer carries the PDF")
		}
	}
	replies := events(t, app, inv.Id, invoicing.EventReplied)
	if len(replies) != 1 || !strings.Contains(replies[0].GetString("data"), `"direction":"to_customer"`) || replies[0].GetString("actor_email") != apptest.StaffEmail {
		t.Errorf("the timeline: %v", replies)
	}
	if got := find(t, app, inv.Id).GetString("delivery"); got != delivery {
		t.Errorf("the answer changed the invoice's delivery from %s to %s", delivery, got)
	}
}

func postJSON(t *testing.T, url, token, body string) int {
	t.Helper()
	return apptest.Call(t, "POST", url, token, body).Status
}

// TestAnAnswerGoesToWhoAsked: staff's answer goes to the customer's person
// who queried, rejected or wrote about the invoice, with the invoice's
// address and its copies in copy, each address once; with nobody asking, as
// the invoice's e-mail went.
func TestAnAnswerGoesToWhoAsked(t *testing.T) {
	for _, c := range []struct {
		name   string
		ask    func(t *testing.T, app core.App, base, invoiceID string)
		to, cc string
	}{
		{"nobody asked", func(*testing.T, core.App, string, string) {}, "billing@alfa.example", "contabilidad@alfa.example"},
		{"a contact queried in the portal", func(t *testing.T, _ core.App, base, id string) {
			if got := postJSON(t, base+"/api/invoices/"+id+"/respond", apptest.Tokens.ContactA, `{"action":"query","note":"¿Cuál es el pedido?"}`); got != 200 {
				t.Fatalf("the query: %d", got)
			}
		}, "ana@alfa.example", "billing@alfa.example, contabilidad@alfa.example"},
		{"a contact rejected in the portal", func(t *testing.T, _ core.App, base, id string) {
			if got := postJSON(t, base+"/api/invoices/"+id+"/respond", apptest.Tokens.ContactA, `{"action":"reject","reason":"PRI","correction":"CNF"}`); got != 200 {
				t.Fatalf("the rejection: %d", got)
			}
		}, "ana@alfa.example", "billing@alfa.example, contabilidad@alfa.example"},
		{"someone wrote by e-mail", func(t *testing.T, app core.App, _, id string) {
			replied(t, app, id, "Victor <victor@alfa.example>", "victor@alfa.example")
		}, "victor@alfa.example", "billing@alfa.example, contabilidad@alfa.example"},
		{"a copy's address wrote by e-mail", func(t *testing.T, app core.App, _, id string) {
			replied(t, app, id, "", "contabilidad@alfa.example")
		}, "contabilidad@alfa.example", "billing@alfa.example"},
		{"the invoice's address wrote by e-mail", func(t *testing.T, app core.App, _, id string) {
			replied(t, app, id, "", "billing@alfa.example")
		}, "billing@alfa.example", "contabilidad@alfa.example"},
	} {
		t.Run(c.name, func(t *testing.T) {
			app, server := setup(t)
			customer, err := app.FindRecordById(invoicing.Customers, apptest.CustomerA)
			must(t, err)
			customer.Set("cc", "contabilidad@alfa.example")
			must(t, app.Save(customer))
			base := apptest.Serve(t, app)
			inv := issueA(t, app)
			c.ask(t, app, base, inv.Id)
			if got := postJSON(t, base+"/api/invoices/"+inv.Id+"/answer", apptest.Tokens.Staff, `{"text":"El pedido es el 4711."}`); got != 202 {
				t.Fatalf("the answer: %d", got)
			}
			msgs, _ := app.FindRecordsByFilter("messages", "kind = 'answer'", "", 0, 0)
			if len(msgs) != 1 {
				t.Fatalf("%d answers in the outbox", len(msgs))
			}
			if msgs[0].GetString("to") != c.to || msgs[0].GetString("cc") != c.cc {
				t.Errorf("the answer is to %q, cc %q; want to %q, cc %q", msgs[0].GetString("to"), msgs[0].GetString("cc"), c.to, c.cc)
			}
			startWorker(t, app)
			waitForStatus(t, app, msgs[0].Id, "sent")
			// The answer among what the server received: the firm's own
			// notice of the query or rejection goes out too.
			var got *smtptest.Received
			for _, r := range server.Received() {
				if bytes.Contains(r.Data, []byte("El pedido es el 4711")) {
					got = &r
				}
			}
			if got == nil {
				t.Fatal("the answer never reached the SMTP server")
			}
			m, err := mail.ReadMessage(bytes.NewReader(got.Data))
			must(t, err)
			want := append([]string{c.to}, strings.Split(c.cc, ", ")...)
			if !sameAddresses(got.To, want) || !strings.Contains(m.Header.Get("To"), c.to) {
				t.Errorf("the answer was delivered to %v (To: %q), want %v", got.To, m.Header.Get("To"), want)
			}
		})
	}
}

// replied records an e-mail from the customer about the invoice, as the
// inbox does.
func replied(t *testing.T, app core.App, invoiceID, name, address string) {
	t.Helper()
	inv := find(t, app, invoiceID)
	_, err := invoicing.AppendEvent(app, inv, invoicing.EventReplied, invoicing.Actor{Email: address},
		map[string]any{"from": strings.TrimSpace(name + " " + address), "text": "¿Cuál es el pedido?"})
	must(t, err)
}

func sameAddresses(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	seen := map[string]bool{}
	for _, a := range got {
		seen[strings.ToLower(a)] = true
	}
	for _, a := range want {
		if !seen[strings.ToLower(a)] {
			return false
		}
	}
	return true
}
