package mail_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"facturo/hooks/invoicing"
	mailpkg "facturo/hooks/mail"
	"facturo/internal/apptest"
)

// TestSendUnsentCommandSendsEveryUnsentInvoice runs the command against a
// real SMTP server: both issued invoices of the test world were never sent.
func TestSendUnsentCommandSendsEveryUnsentInvoice(t *testing.T) {
	app, server := setup(t)
	var out bytes.Buffer
	cmd := mailpkg.Commands(app)[0]
	cmd.SetOut(&out)
	cmd.SetErr(&bytes.Buffer{})
	cmd.SetArgs(nil)
	must(t, cmd.Execute())
	var summary struct{ Queued, Sent, Failed, Waiting int }
	must(t, json.Unmarshal(out.Bytes(), &summary))
	if summary.Queued != 2 || summary.Sent != 2 || summary.Waiting != 0 {
		t.Errorf("summary %s", out.String())
	}
	if len(server.Received()) != 2 {
		t.Errorf("%d emails arrived, want 2", len(server.Received()))
	}
	for _, id := range []string{apptest.IssuedA, apptest.IssuedB} {
		if got := find(t, app, id).GetString("delivery"); got != "sent" {
			t.Errorf("%s delivery %s", id, got)
		}
	}

	// Nothing is left to send: running it again queues nothing.
	out.Reset()
	must(t, cmd.Execute())
	if !bytes.Contains(out.Bytes(), []byte(`"queued":0`)) {
		t.Errorf("a second run: %s", out.String())
	}
	if _, err := invoicing.LoadIssuer(app); err != nil {
		t.Fatal(err)
	}
}
