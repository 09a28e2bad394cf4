package portal_test

import (
	"testing"

	"facturo/internal/apptest"
)

// BenchmarkInvoicePage serves a contact's invoice page: the session, the
// invoice and its timeline, and the page's templates (shared look, frame,
// page) executed in the contact's language.
func BenchmarkInvoicePage(b *testing.B) {
	app := apptest.New(b)
	br := apptest.NewBrowser(b, apptest.Serve(b, app))
	br.SignIn("/portal/login", "ana@alfa.example", "contact-password-1", "/portal/")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if p := br.Get("/portal/invoices/" + apptest.IssuedA); p.Status != 200 {
			b.Fatalf("%d", p.Status)
		}
	}
}
