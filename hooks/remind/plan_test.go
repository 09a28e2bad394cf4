package remind_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/remind"
	"facturo/internal/apptest"
)

// tables are what a run writes; planning writes none of them.
var tables = []string{"messages", "events", "reminders_sent", "reminder_settings"}

// remind plan --at prints one JSON line per reminder a run that day would
// send, with the interest and the compensation at that day, and writes
// nothing; remind run then sends exactly those.
func TestPlanCommandPrintsAndWritesNothing(t *testing.T) {
	app := apptest.New(t)
	quietFixture(t, app)
	insertCustomer(t, app, "simcust0000000", "", "")
	due := day(t, "2025-01-10")
	insertInvoices(t, app, []simInvoice{
		{id: "siminv00000001", customer: "simcust0000000", number: "S-1", due: due, total: 1000},
		{id: "siminv00000002", customer: "simcust0000000", number: "S-2", due: due.AddDate(0, 0, 22), total: 250},
		{id: "siminv00000003", customer: "simcust0000000", number: "S-3", due: due.AddDate(0, 0, 40), total: 80},
	})
	before := map[string]int{}
	for _, table := range tables {
		before[table] = count(t, app, table, "1 = 1")
	}
	var updated string
	if err := app.DB().NewQuery("SELECT updated FROM reminder_settings").Row(&updated); err != nil {
		t.Fatal(err)
	}

	out := runCommand(t, app, "plan", "--at", "2025-02-09")
	var lines []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var p map[string]any
		if err := json.Unmarshal([]byte(line), &p); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		lines = append(lines, p)
	}
	// S-1 is 30 days late: 1,000 € at 11.15 % (first half of 2025) for 30
	// days is 9.16 €, plus the 40 € compensation. S-2 is 8 days late on
	// 250 €: 0.61 €. S-3 is not due for 18 days.
	want := []map[string]any{
		{"invoice": "siminv00000001", "number": "S-1", "level": 30.0, "days_from_due": 30.0, "interest": "9.16", "compensation": "40.00"},
		{"invoice": "siminv00000002", "number": "S-2", "level": 7.0, "days_from_due": 8.0, "interest": "0.61", "compensation": "40.00"},
	}
	if len(lines) != len(want) {
		t.Fatalf("plan printed %d lines, want %d:\n%s", len(lines), len(want), out)
	}
	for i, w := range want {
		for k, v := range w {
			if lines[i][k] != v {
				t.Errorf("line %d: %s = %v, want %v", i+1, k, lines[i][k], v)
			}
		}
	}
	for _, table := range tables {
		if n := count(t, app, table, "1 = 1"); n != before[table] {
			t.Errorf("planning changed %s: %d rows, had %d", table, n, before[table])
		}
	}
	var after string
	if err := app.DB().NewQuery("SELECT updated FROM reminder_settings").Row(&after); err != nil || after != updated {
		t.Errorf("planning touched the settings (%v)", err)
	}

	var res remind.Result
	if err := json.Unmarshal([]byte(runCommand(t, app, "run", "--at", "2025-02-09")), &res); err != nil {
		t.Fatal(err)
	}
	if res.Reminded != 2 || res.Messages != 2 || res.Skipped != 4+2 {
		t.Errorf("run: %+v, want 2 reminders and 6 skipped levels", res)
	}
	if out := runCommand(t, app, "plan", "--at", "2025-02-09"); out != "" {
		t.Errorf("after the run, the same day's plan is not empty:\n%s", out)
	}
}

// runCommand runs remind's command line with arguments and returns what it
// printed.
func runCommand(t testing.TB, app core.App, args ...string) string {
	t.Helper()
	root := remind.Commands(app)[0]
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetArgs(args)
	if err := root.Execute(); err != nil {
		t.Fatalf("remind %s: %v", strings.Join(args, " "), err)
	}
	return out.String()
}
