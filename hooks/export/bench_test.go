package export_test

import (
	"strings"
	"testing"

	"facturo/internal/apptest"
)

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

// BenchmarkLinesExport downloads the lines export of 2,000 issued invoices
// of ten lines each (20,000 lines, plus the world's two) over HTTP: the
// query, parsing every invoice's lines, computing each amount, and writing
// the file.
func BenchmarkLinesExport(b *testing.B) {
	const invoices = 2000
	app := apptest.New(b)
	base := apptest.Serve(b, app)
	for range invoices {
		issueInvoice(b, app, apptest.CustomerA, benchLines)
	}
	lines := invoices*10 + 2
	for _, ext := range []string{"csv", "xlsx"} {
		b.Run(ext, func(b *testing.B) {
			b.ReportAllocs()
			downloads, size := 0, 0
			for b.Loop() {
				status, _, body := get(b, base+"/api/exports/lines."+ext, apptest.Tokens.Staff)
				if status != 200 {
					b.Fatalf("%d %s", status, body)
				}
				if ext == "csv" && strings.Count(string(body), "\n") != lines+2 {
					b.Fatalf("%d CSV records, want %d", strings.Count(string(body), "\n"), lines+2)
				}
				downloads, size = downloads+1, len(body)
			}
			b.ReportMetric(float64(downloads*lines)/b.Elapsed().Seconds(), "lines/s")
			b.ReportMetric(float64(size), "bytes/file")
		})
	}
}
