package imports_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"facturo/hooks/imports"
	"facturo/internal/apptest"
)

// runCommand runs the import command as the command line would, and
// returns its standard output and error, and its error (the exit status).
func runCommand(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	app := apptest.New(t)
	cmd := imports.Commands(app)[0]
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err = cmd.Execute()
	return out.String(), errOut.String(), err
}

func writeFile(t *testing.T, name string, content []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// summaryLine parses the command's output, which must be exactly one JSON
// line with at least the keys integrators rely on.
func summaryLine(t *testing.T, stdout string) imports.Summary {
	t.Helper()
	if strings.Count(stdout, "\n") != 1 || !strings.HasSuffix(stdout, "\n") {
		t.Fatalf("stdout is not one line: %q", stdout)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &keys); err != nil {
		t.Fatalf("stdout is not JSON: %v: %q", err, stdout)
	}
	for _, k := range []string{"invoices", "lines", "customers_created", "errors"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("the summary has no %q: %s", k, stdout)
		}
	}
	var s imports.Summary
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCommandPrintsOneSummaryLine(t *testing.T) {
	path := writeFile(t, "f.csv", csvOf(generate(30, 2), true))
	stdout, stderr, err := runCommand(t, path)
	if err != nil {
		t.Fatalf("exit error %v; stderr %s", err, stderr)
	}
	s := summaryLine(t, stdout)
	if s.Invoices != 30 || s.Lines != 60 || s.Created != 30 || s.CustomersCreated != 30 || len(s.Errors) != 0 {
		t.Fatalf("summary %s", stdout)
	}
	// Not a terminal: the progress is one line per tenth, on stderr.
	for _, phase := range []string{"parsing 100%", "validating 100%", "writing 100%"} {
		if !strings.Contains(stderr, phase+"\n") {
			t.Errorf("stderr lacks %q:\n%s", phase, stderr)
		}
	}
}

func TestCommandFailsOnErrorsAndWithDryRun(t *testing.T) {
	bad := writeFile(t, "bad.csv", []byte(badFile()))
	stdout, _, err := runCommand(t, bad)
	if err == nil {
		t.Fatal("a file with errors exits 0")
	}
	if s := summaryLine(t, stdout); len(s.Errors) == 0 || s.Created != 0 {
		t.Fatalf("summary %s", stdout)
	}

	good := writeFile(t, "good.xlsx", xlsxOf(t, generate(5, 2)))
	stdout, _, err = runCommand(t, "--dry-run", good)
	if s := summaryLine(t, stdout); err != nil || !s.DryRun || s.Created != 5 {
		t.Fatalf("dry run: %v, %s", err, stdout)
	}

	if _, _, err := runCommand(t, "--send", good); err == nil {
		t.Fatal("--send without --issue is accepted")
	}
}

func TestCommandIssuesAndSends(t *testing.T) {
	app := apptest.New(t)
	before := countAll(t, app)
	cmd := imports.Commands(app)[0]
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&bytes.Buffer{})
	cmd.SetArgs([]string{"--issue", "--send", writeFile(t, "s.csv", []byte(reimportHeader+
		"C-1,B87654323,,,T,2026-12-01,Uno,1,100,21\nC-2,A28391043,,,T,2026-12-02,Dos,1,100,21\n"))})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err, out.String())
	}
	if s := summaryLine(t, out.String()); s.Issued != 2 || s.Queued != 2 {
		t.Fatalf("summary %s", out.String())
	}
	after := countAll(t, app)
	want := maps.Clone(before)
	want["invoices"] += 2
	want["messages"] += 2
	want["series_counters"]++
	want["events"] += 4 // issued and queued, each
	if !maps.Equal(after, want) {
		t.Fatalf("records %v, want %v", after, want)
	}
}
