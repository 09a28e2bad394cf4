package recurring_test

import (
	"testing"

	"github.com/pocketbase/dbx"

	"facturo/hooks/mail"
	"facturo/hooks/recurring"
	"facturo/internal/apptest"
)

// BenchmarkRunFiveThousand is one daily run that issues and queues the
// e-mail of 5,000 invoices, one per recurring invoice due that day
// (delivery is the outbox's work, not the run's). Figure in BENCHMARKS.md:
//
//	go test -run '^$' -bench RunFiveThousand -benchtime 1x ./hooks/recurring/
func BenchmarkRunFiveThousand(b *testing.B) {
	const n = 5000
	for b.Loop() {
		b.StopTimer()
		app := apptest.New(b)
		customers := []string{apptest.CustomerA, apptest.CustomerB}
		for i := range n {
			template(b, app, map[string]any{
				"customer": customers[i%2], "series": "R", "interval": "monthly", "start_date": apptest.Today(),
				"action": "issue_send", "lines": line("Cuota de {month} de {year}"),
			})
		}
		b.StartTimer()
		made, err := recurring.Run(app, apptest.Today(), false)
		b.StopTimer()
		if err != nil || len(made) != n {
			b.Fatalf("made %d, %v", len(made), err)
		}
		queued, _ := app.CountRecords(mail.Messages, dbx.NewExp("invoice != ''"))
		if queued < n {
			b.Fatalf("%d e-mails queued, want %d", queued, n)
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/1000, "s/run")
		b.StartTimer()
	}
}
