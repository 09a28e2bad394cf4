package pdf

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"time"

	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func day(y int, m time.Month, dd int) time.Time {
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
}

// sampleIssuer is a Catalan company, so that its address exercises à, ç, l·l.
func sampleIssuer() Party {
	return Party{
		Name:  "Taller Gràfic Puçol, S.L.",
		TaxID: "B12345674",
		Address: Address{
			Line1:      "Carrer de la Il·lustració, 14, 2n 1a",
			PostalCode: "08012",
			City:       "Barcelona",
			Province:   "Barcelona",
		},
		Email:    "factures@tallergrafic.cat",
		Phone:    "+34 931 234 567",
		Registry: "Inscrita en el Registro Mercantil de Barcelona, Tomo 45.678, Folio 90, Hoja B-123456",
	}
}

func sampleCustomer() Party {
	return Party{
		Name:  "Muñoz & Groß Distribución, S.A.",
		TaxID: "A87654321",
		Address: Address{
			Line1:      "Calle de Alcalá, 123, 4º B",
			PostalCode: "28009",
			City:       "Madrid",
		},
	}
}

// shortInvoice is a one-page Spanish invoice with n lines at 21 % VAT.
func shortInvoice(n int) Invoice {
	inv := Invoice{
		Lang:          "es",
		Series:        "A",
		Number:        "2026-A-0042",
		IssueDate:     day(2026, 11, 27),
		OperationDate: day(2026, 11, 20),
		DueDate:       day(2026, 12, 27),
		Currency:      "EUR",
		Issuer:        sampleIssuer(),
		Customer:      sampleCustomer(),
		Payment: &Payment{
			Method:    "transfer",
			IBAN:      "ES9121000418450200051332",
			BIC:       "CAIXESBBXXX",
			Reference: "2026-A-0042",
		},
		Notes:     "Gracias por su confianza. «Entrega en almacén» — horario de 8:00 a 15:00.",
		QR:        "https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR?nif=B12345674&numserie=2026-A-0042&fecha=27-11-2026&importe=1512.50",
		VeriFactu: true,
	}
	for i := range n {
		amount := d("125").Mul(decimal.NewFromInt(int64(i + 1)))
		inv.Lines = append(inv.Lines, Line{
			Description: fmt.Sprintf("Maquetación del catálogo de otoño, página %d", i+1),
			Quantity:    decimal.NewFromInt(int64(i + 1)),
			Unit:        "h",
			UnitPrice:   d("125"),
			VATRate:     d("21"),
			Amount:      amount,
		})
	}
	return at21(inv)
}

// longEnglishInvoice has 250 lines in English, for pagination.
func longEnglishInvoice() Invoice {
	inv := shortInvoice(0)
	inv.Lang = "en"
	inv.Number = "2026-B-0250"
	inv.Series = "B"
	for i := range 250 {
		desc := fmt.Sprintf("Item %03d: replacement part", i+1)
		if i%7 == 3 {
			desc += " with an extended description that wraps onto a second line because it is rather long"
		}
		amount := d("10.50").Mul(decimal.NewFromInt(int64(i%5 + 1)))
		inv.Lines = append(inv.Lines, Line{
			Description: desc,
			Quantity:    decimal.NewFromInt(int64(i%5 + 1)),
			UnitPrice:   d("10.50"),
			VATRate:     d("21"),
			Amount:      amount,
		})
	}
	return at21(inv)
}

// rectifyingInvoice corrects shortInvoice(2) by difference: negative lines.
func rectifyingInvoice() Invoice {
	inv := shortInvoice(0)
	inv.Number = "2026-R-0003"
	inv.Series = "R"
	inv.OperationDate = time.Time{}
	inv.Rectification = &Rectification{
		Code:           "R1",
		OriginalNumber: "2026-A-0042",
		OriginalDate:   day(2026, 11, 27),
		Reason:         "Devolución de 2 horas facturadas por error.",
	}
	inv.Lines = []Line{{
		Description: "Abono: horas de maquetación facturadas por error",
		Quantity:    d("-2"),
		Unit:        "h",
		UnitPrice:   d("125"),
		VATRate:     d("21"),
		Amount:      d("-250"),
	}}
	inv.Taxes = []TaxRow{{Rate: d("21"), Base: d("-250"), VAT: d("-52.50")}}
	inv.Totals = Totals{Base: d("-250"), VAT: d("-52.50"), Total: d("-302.50")}
	return inv
}

// professionalInvoice has IRPF 15 %, a recargo de equivalencia line, an
// exempt line, a discount and a very long description.
func professionalInvoice() Invoice {
	inv := shortInvoice(0)
	inv.Number = "2026-P-0007"
	inv.Series = "P"
	inv.Lines = []Line{
		{Description: "Asesoría fiscal trimestral", Quantity: d("1"), UnitPrice: d("1000"), VATRate: d("21"), Amount: d("1000")},
		{Description: "Material de oficina para reventa (comerciante minorista)", Quantity: d("10"), Unit: "ud", UnitPrice: d("20"), DiscountPct: d("10"), VATRate: d("21"), Amount: d("180")},
		{Description: "Curso de formación homologado", Quantity: d("1.5"), Unit: "h", UnitPrice: d("80"), VATRate: d("0"), Amount: d("120")},
		{Description: longDescription, Quantity: d("1"), UnitPrice: d("0.0125"), VATRate: d("21"), Amount: d("0.01")},
	}
	inv.Taxes = []TaxRow{
		{Rate: d("21"), Base: d("1000.01"), VAT: d("210.00")},
		{Rate: d("21"), Base: d("180"), VAT: d("37.80"), SurchargeRate: d("5.2"), Surcharge: d("9.36")},
		{Rate: d("0"), Base: d("120"), VAT: d("0"), ExemptionReason: "Exenta por el artículo 20.Uno.9º de la Ley 37/1992"},
	}
	inv.Withholdings = []WithholdingRow{{Rate: d("15"), Base: d("1000"), Amount: d("150")}}
	inv.Totals = Totals{Base: d("1300.01"), VAT: d("247.80"), Surcharge: d("9.36"), Withholding: d("150"), Total: d("1407.17")}
	return inv
}

const longDescription = "Revisión completa de la documentación contable del ejercicio, incluida la conciliación " +
	"bancaria de las cuentas corrientes, la comprobación de los asientos de amortización, la preparación " +
	"de los modelos 303, 390, 111 y 190, el análisis de las desviaciones presupuestarias, y una reunión " +
	"de cierre con la dirección financiera para explicar los resultados. Français : « déjà-vu », Português: " +
	"ação, Deutsch: Straße, Català: col·lecció, Ελληνικά, Русский, emoji 🎉 que no se puede imprimir."

// longCustomerInvoice has a customer whose name and address wrap.
func longCustomerInvoice() Invoice {
	inv := shortInvoice(3)
	inv.Customer = Party{
		Name:  "Cooperativa Agroalimentària de Productors Ecològics de les Terres de l'Ebre i del Baix Maestrat, SCCL",
		TaxID: "F43123456",
		Address: Address{
			Line1:      "Polígon Industrial Les Tancades, Carrer de la Indústria Agroalimentària, parcel·la 27, nau 3",
			Line2:      "Edifici de Serveis Centrals, planta baixa, porta de l'esquerra",
			PostalCode: "43870",
			City:       "Amposta",
			Province:   "Tarragona",
		},
		Email: "administracio@cooperativa-ebre.example",
	}
	inv.Logo = sampleLogo()
	return inv
}

// sampleLogo is a small PNG: a rounded accent mark with transparency.
func sampleLogo() []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 240, 80))
	for y := range 80 {
		for x := range 240 {
			switch {
			case x < 80 && (x-40)*(x-40)+(y-40)*(y-40) < 38*38:
				img.Set(x, y, color.NRGBA{28, 78, 128, 255})
			case x >= 90 && y > 25 && y < 55 && (x/12)%2 == 0:
				img.Set(x, y, color.NRGBA{120, 160, 200, 255})
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// at21 fills in the tax row and totals of an invoice whose lines all carry
// 21 % VAT.
func at21(inv Invoice) Invoice {
	base := decimal.Zero
	for _, l := range inv.Lines {
		base = base.Add(l.Amount)
	}
	vat := base.Mul(d("0.21")).Round(2)
	inv.Taxes = []TaxRow{{Rate: d("21"), Base: base, VAT: vat}}
	inv.Totals = Totals{Base: base, VAT: vat, Total: base.Add(vat)}
	return inv
}
