package demo_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"facturo/hooks/demo"
	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
	"facturo/hooks/quotes"
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
	quotesSent, _ := app.FindRecordsByFilter(quotes.Events, "type = 'sent'", "", 0, 0)
	messages, _ := app.FindRecordsByFilter(mail.Messages, "status = 'sent'", "", 0, 0)
	if len(sentEvents) == 0 || len(quotesSent) == 0 || len(messages) != len(sentEvents)+len(quotesSent) {
		t.Fatalf("%d sent e-mails in the outbox for %d invoices' and %d quotes' sent events", len(messages), len(sentEvents), len(quotesSent))
	}
	n, err := mail.WriteSentToFolder(app)
	if err != nil || n != len(messages) {
		t.Fatalf("wrote %d of %d: %v", n, len(messages), err)
	}
	files, _ := filepath.Glob(filepath.Join(app.DataDir(), "outbox", "*.eml"))
	if len(files) != len(messages) {
		t.Fatalf("%d .eml files for %d e-mails", len(files), len(messages))
	}
	var invoicesWritten, quotesWritten int
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		if !strings.Contains(string(raw), "Content-Type: application/pdf") {
			t.Errorf("%s has no PDF:\n%.600s", f, raw)
		}
		if strings.Contains(string(raw), "X-Invoice-Number: ") {
			invoicesWritten++
		}
		if strings.Contains(string(raw), "X-Quote-Number: ") {
			quotesWritten++
		}
	}
	if invoicesWritten != len(sentEvents) || quotesWritten != len(quotesSent) {
		t.Errorf(".eml files: %d invoices' for %d sent, %d quotes' for %d sent", invoicesWritten, len(sentEvents), quotesWritten, len(quotesSent))
	}
	if again, err := mail.WriteSentToFolder(app); err != nil || again != 0 {
		t.Errorf("writing again wrote %d (%v)", again, err)
	}
}
