package remind_test

import (
	"testing"

	"facturo/hooks/remind"
	"facturo/internal/apptest"
	"facturo/internal/clock"
)

// BenchmarkRemindRun200k plans and runs the reminders over 200,000 issued
// invoices (apptest.SeedScale: 300 customers, about 28,000 still owed, due
// over three years). The first run after the seed is the heaviest there
// is: every owed invoice gets its highest level at once, its lower levels
// marked skipped.
//
//	go test ./hooks/remind -run '^$' -bench RemindRun200k -benchtime 3x
func BenchmarkRemindRun200k(b *testing.B) {
	app := apptest.New(b)
	apptest.SeedScale(b, app)
	at := clock.Today()
	plan, err := remind.ExplainPlanQuery(app)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("planning query:\n%s", plan)

	b.Run("plan", func(b *testing.B) {
		var n int
		for b.Loop() {
			planned, err := remind.Plan(app, at)
			if err != nil {
				b.Fatal(err)
			}
			n = len(planned)
		}
		b.ReportMetric(float64(n), "reminders")
	})
	firstRun := func(b *testing.B) {
		var res remind.Result
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			if _, err := app.DB().NewQuery("DELETE FROM reminders_sent; DELETE FROM messages WHERE kind = 'reminder'; DELETE FROM events WHERE type = 'reminder_sent'").Execute(); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			var err error
			if res, err = remind.Run(app, at); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(res.Messages), "emails")
		b.ReportMetric(float64(res.Skipped), "skipped")
	}
	b.Run("run-grouped", func(b *testing.B) {
		setGrouping(b, app, true)
		defer setGrouping(b, app, false)
		firstRun(b)
	})
	b.Run("run", firstRun)
	// The next day, after the catch-up: what a daily run costs.
	b.Run("next-day", func(b *testing.B) {
		var res remind.Result
		for b.Loop() {
			var err error
			if res, err = remind.Run(app, at.AddDate(0, 0, 1)); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(res.Messages), "emails")
	})
}
