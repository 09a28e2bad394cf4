package staff_test

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"facturo/internal/apptest"
)

// BenchmarkOverviewAtScale measures the workspace over 200,000 issued
// invoices, p50 and p95 over sequential requests on loopback: the overview
// when nothing changed since the last request (its figures kept), the
// overview after a change to an invoice before every request (all figures
// computed afresh), and two lists of what needs action.
func BenchmarkOverviewAtScale(b *testing.B) {
	app := apptest.New(b)
	apptest.SeedScale(b, app)
	br := apptest.NewBrowser(b, apptest.Serve(b, app))
	br.SignIn("/app/login", apptest.StaffEmail, staffPassword, "/app/")
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	for range b.N {
		p50, p95 := apptest.Percentiles(b, br, "/app/", 50)
		b.ReportMetric(ms(p50), "overview-p50-ms")
		b.ReportMetric(ms(p95), "overview-p95-ms")

		var cold []time.Duration
		for i := range 30 {
			// Another process's change: an invoice paid.
			if _, err := app.DB().NewQuery("UPDATE invoices SET paid_total = total, payment = 'paid', updated = {:now} WHERE id = {:id}").
				Bind(dbx.Params{"id": fmt.Sprintf("scaleinv%07d", i*7), "now": time.Now().UTC().Format("2006-01-02 15:04:05.000Z")}).Execute(); err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			if p := br.Get("/app/"); p.Status != 200 {
				b.Fatalf("overview: %d", p.Status)
			}
			cold = append(cold, time.Since(start))
		}
		sort.Slice(cold, func(i, j int) bool { return cold[i] < cold[j] })
		b.ReportMetric(ms(cold[len(cold)/2]), "overview-changed-p50-ms")
		b.ReportMetric(ms(cold[len(cold)*95/100]), "overview-changed-p95-ms")

		_, p95 = apptest.Percentiles(b, br, "/app/invoices?state=overdue", 50)
		b.ReportMetric(ms(p95), "overdue-list-p95-ms")
		_, p95 = apptest.Percentiles(b, br, "/app/invoices?state=unanswered", 50)
		b.ReportMetric(ms(p95), "unanswered-list-p95-ms")
	}
}
