package invoicing_test

import (
	"testing"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
)

// BenchmarkIssue measures issuing without the PDF: loading the draft, its
// customer and the issuer, totals, the next number, the huella chained to the
// previous invoice, the frozen save and the issued event, in one transaction.
func BenchmarkIssue(b *testing.B) {
	app := apptest.New(b)
	ids := make([]string, b.N)
	for i := range ids {
		ids[i] = draft(b, app, apptest.CustomerA, map[string]any{"lines": benchLines}).Id
	}
	b.ReportAllocs()
	b.ResetTimer()
	for _, id := range ids {
		if _, err := invoicing.IssueRecord(app, id, invoicing.Actor{Email: apptest.StaffEmail}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "issues/s")
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
