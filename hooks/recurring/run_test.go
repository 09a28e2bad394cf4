package recurring_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
	"facturo/hooks/recurring"
	"facturo/internal/apptest"
	"facturo/internal/clock"
	"facturo/internal/taxes"
)

func TestMain(m *testing.M) {
	os.Exit(apptest.Run(m))
}

// template saves a recurring invoice.
func template(t testing.TB, app core.App, data map[string]any) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(recurring.Collection)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Set("active", true)
	r.Load(data)
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	return r
}

func line(description string) string {
	return fmt.Sprintf(`[{"description":%q,"quantity":1,"unit_price":"50","vat":21}]`, description)
}

var monthsES = []string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}

// expected is one invoice the simulation must leave.
type expected struct {
	template  string
	period    time.Time
	issueDate time.Time
	text      string
	issued    bool
	mailed    bool
}

// TestTwoYearsWithDowntime runs every day of two years but two stretches
// when the server was down, and checks the invoices against the table of
// those that must exist: one per period, none twice, the missed ones made
// on the first day back, each dated on its period's day except when the
// series already had a later invoice (then on the day back, with its
// period as the operation date), and the texts in the customer's language.
func TestTwoYearsWithDowntime(t *testing.T) {
	app := apptest.New(t)
	y, m, _ := apptest.Day(-2 * 365).Date()
	start := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	at := func(days int) time.Time { return start.AddDate(0, 0, days) }
	const down1From, down1To = 100, 190 // staff issue an invoice by hand the morning they are back
	const down2From, down2To = 400, 470 // nobody does
	const days = 730

	monthly := template(t, app, map[string]any{
		"customer": apptest.CustomerA, "name": "Mantenimiento", "series": "R", "interval": "monthly",
		"start_date": at(14), "action": "issue", "lines": line("Mantenimiento de {month} de {year}"),
	})
	quarterly := template(t, app, map[string]any{
		"customer": apptest.CustomerB, "name": "Support", "series": "R", "interval": "quarterly",
		"start_date": at(0), "count": 6, "action": "issue_send", "lines": line("Support, {period}"),
	})
	drafts := template(t, app, map[string]any{
		"customer": apptest.CustomerA, "name": "Revisión", "series": "R", "interval": "days", "every": 45,
		"start_date": at(3), "end_date": at(400), "action": "draft", "lines": line("Revisión {year}"),
	})

	resume := at(down1To + 1)
	var want []expected
	dated := func(period time.Time) time.Time {
		if !period.Before(at(down1From)) && period.Before(resume) {
			return resume
		}
		return period
	}
	for k := 0; ; k++ {
		p := start.AddDate(0, k, 14)
		if p.After(at(days - 1)) {
			break
		}
		want = append(want, expected{monthly.Id, p, dated(p), fmt.Sprintf("Mantenimiento de %s de %d", monthsES[p.Month()-1], p.Year()), true, false})
	}
	for k := range 6 {
		p := start.AddDate(0, 3*k, 0)
		want = append(want, expected{quarterly.Id, p, dated(p), fmt.Sprintf("Support, Q%d %d", (int(p.Month())-1)/3+1, p.Year()), true, true})
	}
	for k := 0; at(3+45*k).Compare(at(400)) <= 0; k++ {
		p := at(3 + 45*k)
		want = append(want, expected{drafts.Id, p, dated(p), fmt.Sprintf("Revisión %d", p.Year()), false, false})
	}

	var printed []recurring.Made
	for d := 0; d < days; d++ {
		if (d >= down1From && d <= down1To) || (d >= down2From && d <= down2To) {
			continue
		}
		if d == down1To+1 {
			manual := core.NewRecord(mustCollection(t, app, invoicing.Invoices))
			manual.Load(map[string]any{"customer": apptest.CustomerB, "series": "R", "issue_date": resume, "lines": apptest.IssuedLines})
			if err := app.Save(manual); err != nil {
				t.Fatal(err)
			}
			if _, err := invoicing.Issue(app, manual.Id, invoicing.Actor{Email: apptest.StaffEmail}); err != nil {
				t.Fatal(err)
			}
		}
		made, err := recurring.Run(app, at(d), false)
		if err != nil {
			t.Fatalf("day %d: %v", d, err)
		}
		for _, m := range made {
			if m.Error != "" {
				t.Fatalf("day %d: %+v", d, m)
			}
		}
		printed = append(printed, made...)
		// A second run the same day makes nothing.
		again, err := recurring.Run(app, at(d), false)
		if err != nil || len(again) != 0 {
			t.Fatalf("day %d, second run: %v %+v", d, err, again)
		}
	}
	if len(printed) != len(want) {
		t.Errorf("the runs printed %d invoices, want %d", len(printed), len(want))
	}

	rows, err := app.FindAllRecords(recurring.Periods)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*core.Record{}
	for _, r := range rows {
		got[r.GetString("recurring")+" "+r.GetString("period")] = r
	}
	if len(rows) != len(want) {
		t.Errorf("%d periods billed, want %d", len(rows), len(want))
	}
	for _, w := range want {
		key := w.template + " " + w.period.Format(time.DateOnly)
		row := got[key]
		if row == nil {
			t.Errorf("period %s was not billed", key)
			continue
		}
		inv, err := app.FindRecordById(invoicing.Invoices, row.GetString("invoice"))
		if err != nil {
			t.Errorf("period %s: %v", key, err)
			continue
		}
		if d := inv.GetDateTime("issue_date").Time(); !d.Equal(w.issueDate) {
			t.Errorf("period %s dated %s, want %s", key, d.Format(time.DateOnly), w.issueDate.Format(time.DateOnly))
		}
		if w.issueDate.Equal(w.period) != (row.GetString("note") == "") {
			t.Errorf("period %s: note %q", key, row.GetString("note"))
		}
		if !w.issueDate.Equal(w.period) && !inv.GetDateTime("operation_date").Time().Equal(w.period) {
			t.Errorf("period %s dated late without its period as the operation date", key)
		}
		lines, _ := taxes.ParseLines([]byte(inv.GetString("lines")))
		if len(lines) != 1 || lines[0].Description != w.text {
			t.Errorf("period %s: lines %s, want %q", key, inv.GetString("lines"), w.text)
		}
		if issued := inv.GetString("status") == invoicing.StatusIssued; issued != w.issued {
			t.Errorf("period %s: status %s", key, inv.GetString("status"))
		}
		queued, _ := app.CountRecords(mail.Messages, dbx.HashExp{"invoice": inv.Id})
		if (queued > 0) != w.mailed {
			t.Errorf("period %s: %d messages queued", key, queued)
		}
	}

	// Numbers follow dates within the series, and have no gaps.
	issued, err := app.FindRecordsByFilter(invoicing.Invoices, "series = 'R' && status = 'issued'", "number", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	previous := map[int]time.Time{}
	counted := map[int]int{}
	for _, inv := range issued {
		d := inv.GetDateTime("issue_date").Time()
		counted[d.Year()]++
		if want := fmt.Sprintf("R-%d-%06d", d.Year(), counted[d.Year()]); inv.GetString("number") != want {
			t.Errorf("invoice dated %s numbered %s, want %s", d.Format(time.DateOnly), inv.GetString("number"), want)
		}
		if d.Before(previous[d.Year()]) {
			t.Errorf("%s is dated before the invoice numbered before it", inv.GetString("number"))
		}
		previous[d.Year()] = d
	}
	q, _ := app.FindRecordById(recurring.Collection, quarterly.Id)
	if q.GetInt("made") != 6 || !q.GetDateTime("next_date").IsZero() {
		t.Errorf("the quarterly invoice made %d and is next due %v; want 6 and ended", q.GetInt("made"), q.GetDateTime("next_date"))
	}
}

func mustCollection(t testing.TB, app core.App, name string) *core.Collection {
	t.Helper()
	col, err := app.FindCachedCollectionByNameOrId(name)
	if err != nil {
		t.Fatal(err)
	}
	return col
}

// TestPeriodRowIsTheGuard runs again after a run that stopped between
// billing a period and moving its template on: the period's row stops it
// being billed twice, and the template moves on.
func TestPeriodRowIsTheGuard(t *testing.T) {
	app := apptest.New(t)
	first := apptest.Day(-40)
	tpl := template(t, app, map[string]any{
		"customer": apptest.CustomerA, "series": "R", "interval": "monthly", "start_date": first, "action": "issue", "lines": line("Cuota {month}"),
	})
	made, err := recurring.Run(app, apptest.Today(), false)
	if err != nil || len(made) != 2 {
		t.Fatalf("first run: %v %+v", err, made)
	}
	// The restart: the template is back at its first period, as if its
	// move had been lost.
	if _, err := app.DB().NewQuery("UPDATE recurring_invoices SET next_date = {:d}, made = 0 WHERE id = {:id}").
		Bind(dbx.Params{"d": first.Format(time.DateOnly) + " 00:00:00.000Z", "id": tpl.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	again, err := recurring.Run(app, apptest.Today(), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range again {
		if m.Action != "already_made" || m.Invoice != "" {
			t.Errorf("after the restart: %+v", m)
		}
	}
	n, _ := app.CountRecords(invoicing.Invoices, dbx.HashExp{"series": "R"})
	if n != 2 {
		t.Errorf("%d invoices in the series, want 2", n)
	}
	tpl, _ = app.FindRecordById(recurring.Collection, tpl.Id)
	if next := tpl.GetDateTime("next_date").Time(); !next.After(apptest.Today()) {
		t.Errorf("the template is next due %s", next.Format(time.DateOnly))
	}
	// The store itself refuses a second row for a period.
	row := core.NewRecord(mustCollection(t, app, recurring.Periods))
	row.Load(map[string]any{"recurring": tpl.Id, "period": first.Format(time.DateOnly)})
	if err := app.Save(row); err == nil {
		t.Error("a second row for a billed period was saved")
	}
}

// TestCommandPrintsJSONLines runs `recurring run --dry-run` and then for
// real: the dry run prints the lines the run will and writes nothing.
func TestCommandPrintsJSONLines(t *testing.T) {
	app := apptest.New(t)
	template(t, app, map[string]any{
		"customer": apptest.CustomerB, "series": "R", "interval": "monthly", "start_date": apptest.Day(-35), "action": "issue", "lines": line("Hosting {month}"),
	})
	run := func(args ...string) []map[string]string {
		var out bytes.Buffer
		cmd := recurring.Commands(app)[0]
		cmd.SetOut(&out)
		cmd.SetArgs(args)
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		var lines []map[string]string
		for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
			if l == "" {
				continue
			}
			var m map[string]string
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("%q: %v", l, err)
			}
			lines = append(lines, m)
		}
		return lines
	}
	dry := run("run", "--at", apptest.Date(0), "--dry-run")
	if len(dry) != 2 || dry[0]["period"] != apptest.Date(-35) || dry[0]["invoice"] != "" || dry[0]["number"] == "" || dry[0]["action"] != "issue" {
		t.Fatalf("dry run printed %v", dry)
	}
	if n, _ := app.CountRecords(recurring.Periods); n != 0 {
		t.Fatalf("the dry run billed %d periods", n)
	}
	real := run("run", "--at", apptest.Date(0))
	if len(real) != 2 {
		t.Fatalf("the run printed %v", real)
	}
	for i, m := range real {
		for _, k := range []string{"recurring", "customer", "period", "invoice", "number", "action"} {
			if m[k] == "" {
				t.Errorf("line %d has no %s: %v", i, k, m)
			}
		}
		if m["number"] != dry[i]["number"] || m["period"] != dry[i]["period"] {
			t.Errorf("the run made %v where the dry run said %v", m, dry[i])
		}
	}
	if again := run("run", "--at", apptest.Date(0)); len(again) != 0 {
		t.Errorf("a second run printed %v", again)
	}
}

// TestScheduledOncePerDayAtTheHour runs the daily job as the scheduler
// wakes it: nothing before the reminders' hour, once at it, not again
// that day.
func TestScheduledOncePerDayAtTheHour(t *testing.T) {
	app := apptest.New(t)
	template(t, app, map[string]any{
		"customer": apptest.CustomerA, "series": "R", "interval": "monthly", "start_date": apptest.Day(-1), "action": "draft", "lines": line("Cuota {month}"),
	})
	policy, err := app.FindFirstRecordByFilter("reminder_settings", "id != ''")
	if err != nil {
		t.Fatal(err)
	}
	policy.Set("enabled", true)
	policy.Set("run_hour", 9)
	if err := app.Save(policy); err != nil {
		t.Fatal(err)
	}
	y, m, d := apptest.Today().Date()
	for _, step := range []struct {
		hour int
		ran  bool
		made int
	}{{8, false, 0}, {9, true, 1}, {10, false, 0}} {
		restore := clock.Set(func() time.Time { return time.Date(y, m, d, step.hour, 30, 0, 0, clock.Zone) })
		made, ran, err := recurring.RunScheduled(app)
		restore()
		if err != nil || ran != step.ran || len(made) != step.made {
			t.Errorf("at %d:30: ran %v, made %d, %v; want %v, %d", step.hour, ran, len(made), err, step.ran, step.made)
		}
	}
}
