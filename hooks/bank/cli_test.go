package bank_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"facturo/hooks/bank"
	"facturo/internal/apptest"
)

func runBank(t *testing.T, args ...string) (string, error) {
	t.Helper()
	app := apptest.New(t)
	cmd := bank.Commands(app)[0]
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&bytes.Buffer{})
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), err
}

func summaryLine(t *testing.T, stdout string) bank.Summary {
	t.Helper()
	if strings.Count(stdout, "\n") != 1 || !strings.HasSuffix(stdout, "\n") {
		t.Fatalf("stdout is not one line: %q", stdout)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &keys); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"movements", "matched", "proposed", "unmatched", "known", "ignored", "errors"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("the summary has no %q: %s", k, stdout)
		}
	}
	var s bank.Summary
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCommand(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "nov.xml")
	if err := os.WriteFile(good, readFile(t, "statement.camt053.xml"), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, err := runBank(t, "import", "--dry-run", good)
	if err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	// The fixture's first invoice is A-2026-000001, owing 100.00: the
	// statement's 121.00 for it is more, so it is proposed.
	if s := summaryLine(t, stdout); !s.DryRun || s.Movements != 3 || s.Ignored != 1 || s.Proposed != 1 || s.Unmatched != 1 || len(s.Matched) != 0 {
		t.Fatalf("%s", stdout)
	}

	bad := filepath.Join(dir, "bad.n43")
	if err := os.WriteFile(bad, readFile(t, "badtotals.n43"), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, err = runBank(t, "import", bad)
	if err == nil {
		t.Fatal("a broken statement exits 0")
	}
	if s := summaryLine(t, stdout); len(s.Errors) != 1 || s.Errors[0].Line != 4 {
		t.Fatalf("%s", stdout)
	}
}
