package apptest

import (
	netmail "net/mail"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/mail"
)

// WaitForMails waits up to five seconds for the outbox to hold n e-mails
// and returns them, oldest first, written as they are sent; it fails the
// test when there are not exactly n.
func WaitForMails(t testing.TB, app core.App, n int) []mail.Letter {
	t.Helper()
	var msgs []*core.Record
	for deadline := time.Now().Add(5 * time.Second); ; {
		var err error
		if msgs, err = app.FindRecordsByFilter(mail.Messages, "", "created,id", 0, 0); err != nil {
			t.Fatal(err)
		}
		if len(msgs) >= n || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if len(msgs) != n {
		t.Fatalf("%d e-mails in the outbox, want %d", len(msgs), n)
	}
	letters := make([]mail.Letter, len(msgs))
	for i, m := range msgs {
		l, err := mail.Read(app, m.Id)
		if err != nil {
			t.Fatalf("writing e-mail %s of the outbox: %v", m.Id, err)
		}
		letters[i] = l
	}
	return letters
}

// Sent is an e-mail of the outbox, as read by the tests that once read
// PocketBase's test mailer.
type Sent struct {
	Subject, Text, HTML string
	To                  []netmail.Address
}

// MailCount is how many e-mails the outbox holds.
func MailCount(t testing.TB, app core.App) int {
	t.Helper()
	n, err := app.CountRecords(mail.Messages)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// LastMail is the newest e-mail of the outbox, written as it is sent.
func LastMail(t testing.TB, app core.App) Sent {
	t.Helper()
	msgs, err := app.FindRecordsByFilter(mail.Messages, "", "-created,-id", 1, 0)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no e-mail in the outbox (%v)", err)
	}
	l, err := mail.Read(app, msgs[0].Id)
	if err != nil {
		t.Fatalf("writing e-mail %s of the outbox: %v", msgs[0].Id, err)
	}
	to, err := netmail.ParseAddressList(l.To)
	if err != nil {
		t.Fatalf("the e-mail's address %q: %v", l.To, err)
	}
	var out []netmail.Address
	for _, a := range to {
		out = append(out, *a)
	}
	return Sent{Subject: l.Subject, Text: l.Text, HTML: l.HTML, To: out}
}
