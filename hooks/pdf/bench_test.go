package pdf

import (
	"bytes"
	"testing"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
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

// BenchmarkFloor is the cost of any document with the same font setup: one
// line of text in the regular and the bold font on one page. It is the least
// that BenchmarkRender10Lines can take.
func BenchmarkFloor(b *testing.B) {
	set, err := loadFonts()
	if err != nil {
		b.Fatal(err)
	}
	benchmarkFloor(b, set.regular, set.bold)
}

// BenchmarkFloorUntrimmedFonts is BenchmarkFloor with the Go fonts as
// shipped, to measure what trimming them once per process saves.
func BenchmarkFloorUntrimmedFonts(b *testing.B) {
	benchmarkFloor(b, goregular.TTF, gobold.TTF)
}

func benchmarkFloor(b *testing.B, regular, bold []byte) {
	b.ReportAllocs()
	for b.Loop() {
		f := fpdf.New("P", "mm", "A4", "")
		f.SetCatalogSort(true)
		f.AddUTF8FontFromBytes(fontFamily, "", regular)
		f.AddUTF8FontFromBytes(fontFamily, "B", bold)
		f.AddPage()
		f.SetFont(fontFamily, "B", sizeBody)
		f.Cell(40, 5, "Factura 2026-A-0042")
		f.SetFont(fontFamily, "", sizeBody)
		f.Cell(100, 5, "Total: 1.234,56 €")
		var buf bytes.Buffer
		if err := f.Output(&buf); err != nil {
			b.Fatal(err)
		}
	}
}
