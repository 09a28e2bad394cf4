package demo_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"facturo/hooks/demo"
	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
	"facturo/internal/apptest"
	"facturo/internal/clock"
)

// TestTheDemoWritesEveryEmailItsStorySent: every invoice the story sent
// has its e-mail in the outbox, and pb_data/outbox holds one .eml for each,
// with the invoice's number and PDF; writing again writes nothing twice.
func TestTheDemoWritesEveryEmailItsStorySent(t *testing.T) {
	app := apptest.New(t)
	apptest.ClearWorld(t, app)
	if seeded, err := demo.SeedAt(app, clock.Now().UTC()); err != nil || !seeded {
		t.Fatalf("seed: %v %v", seeded, err)
	}
	sentEvents, _ := app.FindRecordsByFilter(invoicing.Events, "type = 'sent'", "", 0, 0)
	messages, _ := app.FindRecordsByFilter(mail.Messages, "status = 'sent'", "", 0, 0)
	if len(sentEvents) == 0 || len(messages) != len(sentEvents) {
		t.Fatalf("%d sent e-mails in the outbox for %d sent events", len(messages), len(sentEvents))
	}
	n, err := mail.WriteSentToFolder(app)
	if err != nil || n != len(messages) {
		t.Fatalf("wrote %d of %d: %v", n, len(messages), err)
	}
	files, _ := filepath.Glob(filepath.Join(app.DataDir(), "outbox", "*.eml"))
	if len(files) != len(messages) {
		t.Fatalf("%d .eml files for %d e-mails", len(files), len(messages))
	}
	raw, _ := os.ReadFile(files[0])
	if !strings.Contains(string(raw), "Content-Type: application/pdf") || !strings.Contains(string(raw), "X-Invoice-Number: ") {
		t.Errorf("the .eml is not an invoice's e-mail with its PDF:\n%.600s", raw)
	}
	if again, err := mail.WriteSentToFolder(app); err != nil || again != 0 {
		t.Errorf("writing again wrote %d (%v)", again, err)
	}
}
