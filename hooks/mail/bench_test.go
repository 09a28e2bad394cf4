package mail_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tools/filesystem"

	"facturo/apptest"
	"facturo/hooks/invoicing"
	mailpkg "facturo/hooks/mail"
	"facturo/internal/smtptest"
)

// BenchmarkSendToLocalSink measures the outbox end to end: b.N invoice
// emails with a PDF of about 100 KB (the issuer's logo makes it that big),
// composed, DKIM-less, sent over SMTP to a sink on loopback with the default
// concurrency, and recorded.
func BenchmarkSendToLocalSink(b *testing.B) {
	app := apptest.New(b)
	server := smtptest.Start(b)
	s := app.Settings()
	s.SMTP.Enabled, s.SMTP.Host, s.SMTP.Port = true, server.Host, server.Port
	must(b, app.Save(s))
	issuer, _ := invoicing.LoadIssuer(app)
	issuer.Set("email_from", "facturas@firm.example")
	logo, err := filesystem.NewFileFromBytes(noiseLogo(b), "logo.png")
	must(b, err)
	issuer.Set("logo", logo)
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

// noiseLogo is a PNG that does not compress, to make the PDF about 100 KB.
func noiseLogo(b *testing.B) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	img := image.NewRGBA(image.Rect(0, 0, 190, 140))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.IntN(256))
	}
	img.Set(0, 0, color.RGBA{0, 0, 0, 255})
	var buf bytes.Buffer
	must(b, png.Encode(&buf, img))
	return buf.Bytes()
}
