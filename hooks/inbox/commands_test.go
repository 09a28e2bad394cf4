package inbox_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"facturo/hooks/inbox"
	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
	"facturo/internal/apptest"
)

// TestMailClassifyExplainsEachFile runs `mail classify` on a Postfix bounce
// (rewritten to name a message of the test world) and on a file that is not
// an email, and reads its JSON lines.
func TestMailClassifyExplainsEachFile(t *testing.T) {
	app := apptest.New(t)
	msg, err := mail.Queue(app, apptest.IssuedA, invoicing.Actor{})
	must(t, err)
	w := &world{app: app, msg: msg}
	dir := t.TempDir()
	bounce := filepath.Join(dir, "bounce.eml")
	must(t, os.WriteFile(bounce, w.fixture(t, "02-inv-002-Undelivered-Mail-Returned-to-Sender.eml"), 0o644))
	junk := filepath.Join(dir, "junk.eml")
	must(t, os.WriteFile(junk, []byte("\x00\x01 not a message"), 0o644))

	var out bytes.Buffer
	cmd := inbox.Commands(app)[0]
	cmd.SetOut(&out)
	cmd.SetErr(&bytes.Buffer{})
	cmd.SetArgs([]string{"classify", bounce, junk})
	must(t, cmd.Execute())

	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want one per file:\n%s", len(lines), out.String())
	}
	var first struct {
		File       string
		Kind       string
		Recipients []struct {
			Address, Action, Status, Diagnostic string
			Hard                                bool
		}
		Match map[string]any
	}
	must(t, json.Unmarshal([]byte(lines[0]), &first))
	if first.File != bounce || first.Kind != "bounce" || len(first.Recipients) != 1 || first.Recipients[0].Address != "nobody@client.example" ||
		!first.Recipients[0].Hard || first.Recipients[0].Status != "5.1.0" {
		t.Errorf("the bounce: %s", lines[0])
	}
	if first.Match["invoice"] != apptest.IssuedA || first.Match["message"] != msg.Id || first.Match["by"] != "verp" {
		t.Errorf("the bounce is not tied to its message by VERP: %v", first.Match)
	}
	if !strings.Contains(lines[1], `"kind":"other"`) {
		t.Errorf("the file that is not an email: %s", lines[1])
	}
}
