package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"facturo/internal/apptest"
	"facturo/internal/clock"
)

// TestTheSuitePassesAYearFromNow runs the tests of every package that uses
// the test world again, with the world's clock a year ahead
// (FACTURO_TEST_TODAY): a test that issues on a calendar day written in it,
// rather than on the world's own days, fails then. Left out for time: the
// browser tests, which drive the same pages, and the volume tests (every
// document through the official validators, 10,000 imported invoices, the
// import bombs), whose dates come from the same code as the others'.
func TestTheSuitePassesAYearFromNow(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the date-sensitive packages again; not in -short")
	}
	if os.Getenv(apptest.TodayEnv) != "" {
		t.Skip("already running on a moved clock")
	}
	out, err := exec.Command("go", "list", "-json=ImportPath,TestImports,XTestImports", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var packages []string
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p struct {
			ImportPath                string
			TestImports, XTestImports []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		if slices.Contains(p.TestImports, "facturo/internal/apptest") || slices.Contains(p.XTestImports, "facturo/internal/apptest") {
			packages = append(packages, p.ImportPath)
		}
	}
	if len(packages) < 10 {
		t.Fatalf("only %d packages use the test world: %v", len(packages), packages)
	}
	day := clock.Today().AddDate(1, 0, 0).Format(time.DateOnly)
	cmd := exec.Command("go", append([]string{"test", "-skip", "InARealBrowser|ThroughEveryValidator|Import10k|Bomb"}, packages...)...)
	cmd.Env = append(os.Environ(), apptest.TodayEnv+"="+day)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("with the world's clock at %s:\n%s", day, out)
	}
}
