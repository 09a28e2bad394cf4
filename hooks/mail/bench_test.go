package mail_test

import (
	"testing"
	"time"

	"facturo/hooks/invoicing"
	mailpkg "facturo/hooks/mail"
	"facturo/internal/apptest"
	"facturo/internal/smtptest"
)

// BenchmarkSendToLocalSink measures the outbox end to end: b.N invoice
// emails with their PDF attached (about 24 KB),
// composed, sent over SMTP to a sink on loopback with the default
// concurrency, and recorded.
func BenchmarkSendToLocalSink(b *testing.B) {
	app := apptest.New(b)
	server := smtptest.Start(b)
	s := app.Settings()
	s.SMTP.Enabled, s.SMTP.Host, s.SMTP.Port = true, server.Host, server.Port
	must(b, app.Save(s))
	issuer, _ := invoicing.LoadIssuer(app)
	issuer.Set("email_from", "facturas@firm.example")
	must(b, app.Save(issuer))
	inv, err := invoicing.Issue(app, apptest.DraftA, invoicing.Actor{})
	must(b, err)
	pdf, err := invoicing.RenderPDF(app, inv)
	must(b, err)

	for range b.N {
		if _, err := mailpkg.Queue(app, inv.Id, invoicing.Actor{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	w, err := mailpkg.StartWorker(app)
	must(b, err)
	for len(server.Received()) < b.N {
		time.Sleep(time.Millisecond)
	}
	b.StopTimer()
	w.Stop()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(len(pdf))/1024, "pdf-KB")
}
