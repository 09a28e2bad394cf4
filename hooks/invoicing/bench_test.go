package invoicing_test

import (
	"syscall"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tools/filesystem"

	"facturo/hooks/invoicing"
	"facturo/hooks/verifactu"
	"facturo/internal/aeattest"
	"facturo/internal/apptest"
	"facturo/internal/certificate/certtest"
	"facturo/internal/clock"
)

// BenchmarkIssue measures issuing without the PDF: loading the draft, its
// customer and the issuer, totals, the next number, the huella chained to the
// previous record, the frozen save, the issued event and the VERI*FACTU
// record (kept, not sent: sending is off), in one transaction.
func BenchmarkIssue(b *testing.B) {
	app := apptest.New(b)
	ids := make([]string, b.N)
	for i := range ids {
		ids[i] = draft(b, app, apptest.CustomerA, map[string]any{"lines": benchLines}).Id
	}
	b.ReportAllocs()
	cpu := cpuTime()
	b.ResetTimer()
	for _, id := range ids {
		if _, err := invoicing.IssueRecord(app, id, invoicing.Actor{Email: apptest.StaffEmail}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "issues/s")
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N), "cpu-µs/issue")
}

// cpuTime is the CPU time the process has used: on a machine shared with
// other work, it moves far less than the wall clock.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// benchLines is a typical ten-line invoice with mixed rates.
const benchLines = `[
{"description":"Diseño de catálogo","quantity":1,"unit_price":"850","vat":21,"withholding":15},
{"description":"Impresión de catálogos","quantity":500,"unit_price":"1.85","vat":21},
{"description":"Carteles A2","quantity":20,"unit_price":"6.40","vat":21,"discount":5},
{"description":"Libros","quantity":100,"unit_price":"6.75","vat":4},
{"description":"Revista","quantity":300,"unit_price":"2.10","vat":4},
{"description":"Envío","quantity":1,"unit_price":"35","vat":21},
{"description":"Etiquetas","quantity":12,"unit_price":"12.90","vat":21},
{"description":"Maquetación","quantity":6,"unit_price":"38","vat":21,"withholding":15},
{"description":"Formación","quantity":1,"unit_price":"300","vat":0,"vat_exemption":"Exenta: art. 20.Uno.9 Ley 37/1992"},
{"description":"Menú de temporada","quantity":40,"unit_price":"14.50","vat":10}]`

// BenchmarkIssueSending is BenchmarkIssue with sending to the AEAT on: each
// issue also makes its VERI*FACTU record, and the sender runs meanwhile,
// sending them in requests of up to 1,000 to a stand-in AEAT on
// 127.0.0.1 (mutual TLS, the AEAT's 60 s wait between requests) and
// recording its answers and their timeline entries.
func BenchmarkIssueSending(b *testing.B) {
	app := apptest.New(b)
	s := aeattest.New(b)
	s.SkipValidation()
	settings, err := verifactu.LoadSettings(app)
	if err != nil {
		b.Fatal(err)
	}
	pfx, err := filesystem.NewFileFromBytes(s.ClientPFX(b, certtest.Seal(), clock.Now().AddDate(1, 0, 0), "clave"), "sello.p12")
	if err != nil {
		b.Fatal(err)
	}
	settings.Load(map[string]any{"enabled": true, "environment": verifactu.EnvCustom, "endpoint": s.URL, "server_ca": s.RootPEM,
		"certificate": pfx, "certificate_password": "clave"})
	if err := app.Save(settings); err != nil {
		b.Fatal(err)
	}
	ids := make([]string, b.N)
	for i := range ids {
		ids[i] = draft(b, app, apptest.CustomerA, map[string]any{"lines": benchLines}).Id
	}
	worker := verifactu.StartSender(app)
	b.ReportAllocs()
	cpu := cpuTime()
	b.ResetTimer()
	for _, id := range ids {
		if _, err := invoicing.IssueRecord(app, id, invoicing.Actor{Email: apptest.StaffEmail}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	worker.Stop()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "issues/s")
	// The stand-in runs in this process: its TLS and parsing count here too.
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N), "cpu-µs/issue")
	if b.N >= 1000 && s.HeldCount() < 1000 {
		b.Errorf("the sender registered %d of %d records meanwhile", s.HeldCount(), b.N)
	}
}
