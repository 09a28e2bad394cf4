package remind_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/remind"
	"facturo/internal/apptest"
	"facturo/internal/clock"
)

// Only staff plan and run reminders over REST: contacts and guests are
// refused and nothing is sent.
func TestRoutesAreForStaffOnly(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	at := clock.Today().AddDate(0, 3, 0).Format(time.DateOnly)
	body := `{"at":"` + at + `"}`
	for _, who := range []struct {
		name, token string
		status      int
	}{{"guest", "", 401}, {"contact", apptest.Tokens.ContactA, 403}, {"viewer", apptest.Tokens.ViewerA, 403}} {
		if r := apptest.Call(t, "POST", base+"/api/reminders/run", who.token, body); r.Status != who.status {
			t.Errorf("%s: run answered %d, want %d", who.name, r.Status, who.status)
		}
		if r := apptest.Call(t, "GET", base+"/api/reminders/plan?at="+at, who.token, ""); r.Status != who.status {
			t.Errorf("%s: plan answered %d, want %d", who.name, r.Status, who.status)
		}
	}
	if n := count(t, app, "reminders_sent", "1 = 1"); n != 0 {
		t.Fatalf("refused requests recorded %d levels", n)
	}

	r := apptest.Call(t, "GET", base+"/api/reminders/plan?at="+at, apptest.Tokens.Staff, "")
	var planned []remind.Planned
	if r.Status != 200 || json.Unmarshal(r.Body, &planned) != nil || len(planned) != 2 {
		t.Fatalf("staff plan: %d %s", r.Status, r.Body)
	}
	r = apptest.Call(t, "POST", base+"/api/reminders/run", apptest.Tokens.Staff, body)
	var res remind.Result
	if r.Status != 200 || json.Unmarshal(r.Body, &res) != nil || res.Reminded != 2 || res.Day != at {
		t.Fatalf("staff run: %d %s", r.Status, r.Body)
	}
	if r := apptest.Call(t, "POST", base+"/api/reminders/run", apptest.Tokens.Staff, `{"at":"next week"}`); r.Status != 400 || !strings.Contains(string(r.Body), "at") {
		t.Errorf("a bad day: %d %s", r.Status, r.Body)
	}
}

// The scheduler runs once a day, from the policy's hour in Madrid on, and
// not when reminders are off.
func TestScheduledRunOncePerDayFromTheHour(t *testing.T) {
	app := apptest.New(t)
	madrid, _ := time.LoadLocation("Europe/Madrid")
	inv, err := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	if err != nil {
		t.Fatal(err)
	}
	d := inv.GetDateTime("due_date").Time().AddDate(0, 0, 1)
	at := func(hour int) time.Time { return time.Date(d.Year(), d.Month(), d.Day(), hour, 30, 0, 0, madrid) }
	scheduled := func(hour int) bool {
		t.Helper()
		restore := clock.Set(func() time.Time { return at(hour) })
		defer restore()
		_, ran, err := remind.RunScheduled(app)
		if err != nil {
			t.Fatal(err)
		}
		return ran
	}
	if scheduled(7) {
		t.Fatal("ran at 7:30, before the default hour (8)")
	}
	if !scheduled(8) {
		t.Fatal("did not run at 8:30")
	}
	if scheduled(9) {
		t.Fatal("ran twice on the same day")
	}
	settings := settingsRecord(t, app)
	if settings.GetString("last_run_on") != d.Format(time.DateOnly) || !strings.Contains(settings.GetString("status"), "1 invoices reminded") {
		t.Errorf("settings after the run: last_run_on %q, status %q", settings.GetString("last_run_on"), settings.GetString("status"))
	}

	settings.Set("enabled", false)
	settings.Set("last_run_on", "")
	if err := app.Save(settings); err != nil {
		t.Fatal(err)
	}
	if scheduled(10) {
		t.Fatal("ran with reminders off")
	}
}

func settingsRecord(t testing.TB, app core.App) *core.Record {
	t.Helper()
	s, err := app.FindFirstRecordByFilter(remind.SettingsCollection, "")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A level whose text does not work, or a customer's own days that are not
// days, are refused naming the field; the default texts all work.
func TestPolicyIsChecked(t *testing.T) {
	app := apptest.New(t)
	levels, err := app.FindAllRecords(remind.Levels)
	if err != nil || len(levels) != 5 {
		t.Fatalf("%d default levels, %v", len(levels), err)
	}
	for _, l := range levels {
		if err := app.Validate(l); err != nil {
			t.Errorf("default level %q: %v", l.GetString("name"), err)
		}
	}
	level := levels[0]
	level.Set("body_en", "Invoice {{.Numbr}}")
	if err := app.Save(level); err == nil || !strings.Contains(err.Error(), "body_en") {
		t.Errorf("a template printing an unknown field was saved (%v)", err)
	}
	level.Set("body_en", "Invoice {{.Number")
	if err := app.Save(level); err == nil || !strings.Contains(err.Error(), "body_en") {
		t.Errorf("a template that does not parse was saved (%v)", err)
	}

	customer, err := app.FindRecordById(invoicing.Customers, apptest.CustomerA)
	if err != nil {
		t.Fatal(err)
	}
	customer.Set("reminders", "custom")
	if err := app.Save(customer); err == nil || !strings.Contains(err.Error(), "reminder_days") {
		t.Errorf("custom reminders without days were saved (%v)", err)
	}
	customer.Set("reminder_days", `["soon"]`)
	if err := app.Save(customer); err == nil || !strings.Contains(err.Error(), "reminder_days") {
		t.Errorf("reminder days that are not days were saved (%v)", err)
	}
	customer.Set("reminder_days", `[30, 7]`)
	if err := app.Save(customer); err != nil {
		t.Errorf("custom days [30, 7]: %v", err)
	}
}
