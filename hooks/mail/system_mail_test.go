package mail_test

import (
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tools/mailer"

	mailpkg "facturo/hooks/mail"
	"facturo/internal/apptest"
)

// TestSystemMailGoesToTheFolderWithTheInvoiceEmails: with delivery to a
// folder (the demo's), PocketBase's own emails are written there too, not
// sent.
func TestSystemMailGoesToTheFolderWithTheInvoiceEmails(t *testing.T) {
	app := apptest.New(t)
	send := func() {
		t.Helper()
		err := app.NewMailClient().Send(&mailer.Message{
			From: mail.Address{Address: "portal@firm.example"}, To: []mail.Address{{Name: "Ana", Address: "ana@alfa.example"}},
			Subject: "Su código", HTML: "<p>Código: 12345678</p>", Text: "Código: 12345678",
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	send()
	if app.TestMailer.TotalSend() != 1 {
		t.Fatalf("with SMTP delivery the mail was not sent: %d", app.TestMailer.TotalSend())
	}
	if err := mailpkg.DeliverToFolder(app); err != nil {
		t.Fatal(err)
	}
	send()
	if app.TestMailer.TotalSend() != 1 {
		t.Errorf("with folder delivery the mail was sent too")
	}
	files, _ := filepath.Glob(filepath.Join(app.DataDir(), "outbox", "system-*.eml"))
	if len(files) != 1 {
		t.Fatalf("%d files in the outbox folder", len(files))
	}
	raw, _ := os.ReadFile(files[0])
	m, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil || !strings.Contains(m.Header.Get("To"), "ana@alfa.example") || !strings.Contains(string(raw), "12345678") {
		t.Errorf("the file: %v\n%s", err, raw)
	}
}
