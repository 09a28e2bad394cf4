package mail_test

import (
	"bytes"
	"net/mail"
	"strings"
	"testing"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
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
