package ubl_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"facturo/internal/einvoice"
	"facturo/internal/einvoice/ubl"
)

// tenLines is a 10-line invoice with discounts, recargo and IRPF.
func tenLines() *einvoice.Document {
	d := &einvoice.Document{Number: "A-2026-000042", IssueDate: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), DueDate: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC),
		Currency: "EUR", Language: "es",
		Seller:  einvoice.Party{Name: "Lucía Martín Ortega", TaxID: "12345678Z", Address: "Calle de la Imprenta 12", City: "Valladolid", PostalCode: "47001", Country: "ES"},
		Buyer:   einvoice.Party{Name: "Ferretería López S.L.", TaxID: "B12345674", Address: "Avenida de Burgos 41", City: "Valladolid", PostalCode: "47009", Country: "ES"},
		Payment: &einvoice.Payment{IBAN: "ES9121000418450200051332", Reference: "A-2026-000042"},
	}
	row := einvoice.VATRow{Category: einvoice.Classify(decimal.NewFromInt(21), ""), Rate: decimal.NewFromInt(21)}
	for i := range 10 {
		amount := decimal.NewFromInt(int64(100 + i))
		d.Lines = append(d.Lines, einvoice.Line{Description: "Catálogo de temporada", Quantity: decimal.NewFromInt(1), UnitPrice: amount, Amount: amount,
			VAT: decimal.NewFromInt(21), Category: row.Category})
		row.Base = row.Base.Add(amount)
	}
	row.Tax = row.Base.Mul(decimal.RequireFromString("0.21")).Round(2)
	d.VAT = []einvoice.VATRow{row}
	d.Totals = einvoice.Totals{Subtotal: row.Base, Tax: row.Tax, Total: row.Base.Add(row.Tax)}
	return d
}

// BenchmarkWrite10Lines writes a 10-line invoice as UBL.
func BenchmarkWrite10Lines(b *testing.B) {
	d := tenLines()
	b.ReportAllocs()
	for b.Loop() {
		ubl.Write(d)
	}
}
