package verifactu_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/verifactu"
	"facturo/internal/aeattest"
	"facturo/internal/apptest"
)

// BenchmarkRequest1000 builds the records of 1,000 issued invoices of ten
// lines each, from their stored fields (parties, lines, totals, the
// breakdown), and serialises the request that carries them.
func BenchmarkRequest1000(b *testing.B) {
	app := apptest.New(b)
	invoices := make([]*core.Record, 1000)
	for i := range invoices {
		inv, err := invoicing.IssueRecord(app, newDraft(b, app, apptest.CustomerA, benchLines, nil).Id, staff)
		if err != nil {
			b.Fatal(err)
		}
		invoices[i] = inv
	}
	request, err := verifactu.RequestOf(app, invoices)
	if err != nil {
		b.Fatal(err)
	}
	if testing.Verbose() {
		aeattest.Validate(b, request, "SuministroLR.xsd")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := verifactu.RequestOf(app, invoices); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(request))/1024, "KiB/request")
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
