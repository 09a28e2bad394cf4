package staff_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"facturo/internal/apptest"
)

// BenchmarkTotalsRoundTrip50Lines is the editor's live totals as the
// browser asks for them: a signed-in POST /app/totals of a 50-line
// invoice with mixed rates, discounts, recargo and IRPF, through a real
// server on the loopback, answered with every line's amount and the
// totals. It reports the p50 and p95 of the round trip. Figure in
// BENCHMARKS.md:
//
//	go test -run '^$' -bench TotalsRoundTrip50Lines -benchtime 1000x ./hooks/staff/
func BenchmarkTotalsRoundTrip50Lines(b *testing.B) {
	app := apptest.New(b)
	base := apptest.Serve(b, app)
	br := apptest.NewBrowser(b, base)
	br.SignIn("/app/login", apptest.StaffEmail, staffPassword, "/app/")
	csrf := br.CSRF("/app/")
	vats := []string{"21", "10", "4", "21", "0"}
	var lines []map[string]string
	for i := range 50 {
		l := map[string]string{"description": fmt.Sprintf("Línea %d", i+1), "quantity": fmt.Sprintf("%d,5", i%7+1),
			"unit_price": fmt.Sprintf("%d,%02d", 10+i*3, i), "discount": fmt.Sprint(i % 3 * 5), "vat": vats[i%5]}
		if l["vat"] == "0" {
			l["vat_exemption"] = "Exenta por el artículo 20 de la Ley del IVA"
		}
		if i%4 == 0 && l["vat"] == "21" {
			l["surcharge"] = "5.2"
		}
		if i%6 == 0 {
			l["withholding"] = "15"
		}
		lines = append(lines, l)
	}
	raw, _ := json.Marshal(map[string]any{"customer": apptest.CustomerA, "issue_date": apptest.Date(0), "lines": lines})
	var took []time.Duration
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodPost, base+"/app/totals?lang=es", strings.NewReader(string(raw)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", csrf)
		start := time.Now()
		p := br.Do(req)
		took = append(took, time.Since(start))
		if p.Status != http.StatusOK || !strings.Contains(p.Body, `"total"`) || strings.Contains(p.Body, `"partial":true`) {
			b.Fatalf("POST /app/totals: %d %s", p.Status, p.Body)
		}
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
}
