package pdf

import (
	"testing"

	"facturo/internal/pdfdoc"
)

func benchmarkRender(b *testing.B, inv Invoice) {
	b.ReportAllocs()
	var size int
	for b.Loop() {
		doc, err := Render(inv)
		if err != nil {
			b.Fatal(err)
		}
		size = len(doc)
	}
	b.ReportMetric(float64(size), "pdf-bytes")
}

// BenchmarkRender10Lines renders a one-page invoice (see
// TestTenLineInvoiceFitsOnePage).
func BenchmarkRender10Lines(b *testing.B) {
	benchmarkRender(b, shortInvoice(10))
}

func BenchmarkRender250Lines(b *testing.B) {
	benchmarkRender(b, longEnglishInvoice())
}

// BenchmarkFloor is the cost of any document with the same fonts: one line
// of text in the regular and the bold font on one page. It is the least that
// BenchmarkRender10Lines can take.
func BenchmarkFloor(b *testing.B) {
	set, err := loadFonts()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var size int
	for b.Loop() {
		doc := pdfdoc.New(pdfdoc.Info{Title: "Factura 2026-A-0042", Creator: "facturo", Lang: "es"})
		p := doc.AddPage()
		p.SetFont(set.bold, sizeBody)
		p.Text(marginLeft, marginTop, "Factura 2026-A-0042")
		p.SetFont(set.regular, sizeBody)
		p.Text(marginLeft+40, marginTop, "Total: 1.234,56 €")
		size = len(doc.Bytes())
	}
	b.ReportMetric(float64(size), "pdf-bytes")
}
