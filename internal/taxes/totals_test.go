package taxes

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// totalsCase is one invoice and its hand-computed totals. Money is written
// with two decimals; tax rows as "IVA v% RE s% [exención]: base, tax,
// surcharge" and withholdings as "IRPF r%: base, amount".
type totalsCase struct {
	name         string
	lines        string // the invoice's lines JSON, parsed with ParseLines
	amounts      []string
	taxes        []string
	withholdings []string
	subtotal     string
	tax          string
	surcharge    string
	withholding  string
	total        string
}

var totalsCases = []totalsCase{
	{
		name:     "single line at 21 %",
		lines:    `[{"description":"Consultoría","quantity":1,"unit_price":100,"vat":21}]`,
		amounts:  []string{"100.00"},
		taxes:    []string{"IVA 21% RE 0%: base 100.00, tax 21.00, surcharge 0.00"},
		subtotal: "100.00", tax: "21.00", surcharge: "0.00", withholding: "0.00", total: "121.00",
	},
	{
		// 3 × 0.335 = 1.005 → 1.01; IVA 1.01 × 0.21 = 0.2121 → 0.21.
		name:     "line amount half cent rounds up",
		lines:    `[{"description":"Clips","quantity":3,"unit_price":0.335,"vat":21}]`,
		amounts:  []string{"1.01"},
		taxes:    []string{"IVA 21% RE 0%: base 1.01, tax 0.21, surcharge 0.00"},
		subtotal: "1.01", tax: "0.21", surcharge: "0.00", withholding: "0.00", total: "1.22",
	},
	{
		// IVA 0.05 × 0.21 = 0.0105 → 0.01.
		name:     "tax below half a cent rounds down",
		lines:    `[{"description":"Sobre","quantity":1,"unit_price":0.05,"vat":21}]`,
		amounts:  []string{"0.05"},
		taxes:    []string{"IVA 21% RE 0%: base 0.05, tax 0.01, surcharge 0.00"},
		subtotal: "0.05", tax: "0.01", surcharge: "0.00", withholding: "0.00", total: "0.06",
	},
	{
		// IVA 2.50 × 0.21 = 0.525 → 0.53; 0.05 × 0.10 = 0.005 → 0.01.
		name: "tax exactly half a cent rounds up",
		lines: `[{"description":"Cuaderno","quantity":1,"unit_price":"2.50","vat":21},
			{"description":"Pan","quantity":1,"unit_price":"0.05","vat":10}]`,
		amounts: []string{"2.50", "0.05"},
		taxes: []string{
			"IVA 21% RE 0%: base 2.50, tax 0.53, surcharge 0.00",
			"IVA 10% RE 0%: base 0.05, tax 0.01, surcharge 0.00",
		},
		subtotal: "2.55", tax: "0.54", surcharge: "0.00", withholding: "0.00", total: "3.09",
	},
	{
		// Each line 0.333 × 0.5 = 0.1665 → 0.17, ten lines 1.70; rounding
		// the unrounded sum 1.665 instead would give 1.67.
		// IVA 1.70 × 0.21 = 0.357 → 0.36.
		name:     "per-line rounding differs from rounding the sum",
		lines:    repeatLine(10, `{"description":"Etiqueta","quantity":1,"unit_price":0.333,"discount":50,"vat":21}`),
		amounts:  repeatAmount(10, "0.17"),
		taxes:    []string{"IVA 21% RE 0%: base 1.70, tax 0.36, surcharge 0.00"},
		subtotal: "1.70", tax: "0.36", surcharge: "0.00", withholding: "0.00", total: "2.06",
	},
	{
		// 2 × 50 × 0.85 = 85.00; 100 % off = 0.00; 4 × 12.99 × 0.875 =
		// 45.465 → 45.47. Base 130.47; IVA 27.3987 → 27.40.
		name: "discounts including 100 %",
		lines: `[{"description":"Silla","quantity":2,"unit_price":50,"discount":15,"vat":21},
			{"description":"Montaje (gratis)","quantity":1,"unit_price":30,"discount":100,"vat":21},
			{"description":"Cojín","quantity":4,"unit_price":12.99,"discount":"12.5","vat":21}]`,
		amounts:  []string{"85.00", "0.00", "45.47"},
		taxes:    []string{"IVA 21% RE 0%: base 130.47, tax 27.40, surcharge 0.00"},
		subtotal: "130.47", tax: "27.40", surcharge: "0.00", withholding: "0.00", total: "157.87",
	},
	{
		// 21 %: 100 + 0.5 × 40.10 = 120.05, IVA 25.2105 → 25.21.
		// 10 %: 2 × 15.50 = 31.00, IVA 3.10. 4 %: 3 × 2.25 = 6.75, IVA 0.27.
		// 0 %: two exención reasons, two rows, sorted by reason.
		// Subtotal 407.80; IVA 28.58; total 436.38.
		name: "mixed IVA rates with exención reasons",
		lines: `[{"description":"Portátil","quantity":1,"unit_price":100,"vat":21},
			{"description":"Exportación","quantity":1,"unit_price":50,"vat":0,"vat_exemption":"Exportación art. 21 LIVA"},
			{"description":"Restaurante","quantity":2,"unit_price":15.50,"vat":10},
			{"description":"Libros","quantity":3,"unit_price":2.25,"vat":4},
			{"description":"Formación","quantity":1,"unit_price":200,"vat":0,"vat_exemption":"Exenta art. 20 LIVA"},
			{"description":"Cable","quantity":0.5,"unit_price":40.10,"vat":21}]`,
		amounts: []string{"100.00", "50.00", "31.00", "6.75", "200.00", "20.05"},
		taxes: []string{
			"IVA 21% RE 0%: base 120.05, tax 25.21, surcharge 0.00",
			"IVA 10% RE 0%: base 31.00, tax 3.10, surcharge 0.00",
			"IVA 4% RE 0%: base 6.75, tax 0.27, surcharge 0.00",
			"IVA 0% RE 0% [Exenta art. 20 LIVA]: base 200.00, tax 0.00, surcharge 0.00",
			"IVA 0% RE 0% [Exportación art. 21 LIVA]: base 50.00, tax 0.00, surcharge 0.00",
		},
		subtotal: "407.80", tax: "28.58", surcharge: "0.00", withholding: "0.00", total: "436.38",
	},
	{
		// Recargo: 100 × 5.2 % = 5.20; 50 × 1.4 % = 0.70; 25 × 0.5 % =
		// 0.125 → 0.13. IVA 21 + 5 + 1 = 27. Total 175 + 27 + 6.03.
		name: "recargo de equivalencia 5.2, 1.4 and 0.5",
		lines: `[{"description":"Camisetas","quantity":1,"unit_price":100,"vat":21,"surcharge":5.2},
			{"description":"Galletas","quantity":1,"unit_price":50,"vat":10,"surcharge":1.4},
			{"description":"Leche","quantity":1,"unit_price":25,"vat":4,"surcharge":0.5}]`,
		amounts: []string{"100.00", "50.00", "25.00"},
		taxes: []string{
			"IVA 21% RE 5.2%: base 100.00, tax 21.00, surcharge 5.20",
			"IVA 10% RE 1.4%: base 50.00, tax 5.00, surcharge 0.70",
			"IVA 4% RE 0.5%: base 25.00, tax 1.00, surcharge 0.13",
		},
		subtotal: "175.00", tax: "27.00", surcharge: "6.03", withholding: "0.00", total: "208.03",
	},
	{
		// Same IVA, with and without recargo: two rows, the plain one first.
		// 10.10 × 0.21 = 2.121 → 2.12; × 0.052 = 0.5252 → 0.53.
		name: "same IVA with and without recargo",
		lines: `[{"description":"Con recargo","quantity":1,"unit_price":10.10,"vat":21,"surcharge":5.2},
			{"description":"Sin recargo","quantity":1,"unit_price":10,"vat":21}]`,
		amounts: []string{"10.10", "10.00"},
		taxes: []string{
			"IVA 21% RE 0%: base 10.00, tax 2.10, surcharge 0.00",
			"IVA 21% RE 5.2%: base 10.10, tax 2.12, surcharge 0.53",
		},
		subtotal: "20.10", tax: "4.22", surcharge: "0.53", withholding: "0.00", total: "24.85",
	},
	{
		// IVA 210; IRPF 15 % of 1000 = 150; total 1000 + 210 − 150.
		name:         "IRPF 15 % on a professional's fee",
		lines:        `[{"description":"Honorarios","quantity":1,"unit_price":1000,"vat":21,"withholding":15}]`,
		amounts:      []string{"1000.00"},
		taxes:        []string{"IVA 21% RE 0%: base 1000.00, tax 210.00, surcharge 0.00"},
		withholdings: []string{"IRPF 15%: base 1000.00, amount 150.00"},
		subtotal:     "1000.00", tax: "210.00", surcharge: "0.00", withholding: "150.00", total: "1060.00",
	},
	{
		// Base 1278.83, IVA 268.5543 → 268.55. IRPF 15 % of 800 + 100 =
		// 135.00; 7 % of 333.33 = 23.3331 → 23.33; the 45.50 line is not
		// withheld. Total 1278.83 + 268.55 − 158.33 = 1389.05.
		name: "IRPF 15 % and 7 % with a line not withheld",
		lines: `[{"description":"Proyecto","quantity":1,"unit_price":800,"vat":21,"withholding":15},
			{"description":"Curso (nuevo profesional)","quantity":1,"unit_price":333.33,"vat":21,"withholding":7},
			{"description":"Material","quantity":1,"unit_price":45.50,"vat":21},
			{"description":"Revisión","quantity":1,"unit_price":100,"vat":21,"withholding":15}]`,
		amounts: []string{"800.00", "333.33", "45.50", "100.00"},
		taxes:   []string{"IVA 21% RE 0%: base 1278.83, tax 268.55, surcharge 0.00"},
		withholdings: []string{
			"IRPF 15%: base 900.00, amount 135.00",
			"IRPF 7%: base 333.33, amount 23.33",
		},
		subtotal: "1278.83", tax: "268.55", surcharge: "0.00", withholding: "158.33", total: "1389.05",
	},
	{
		// IRPF on the summed base: 7 % of 1.50 = 0.105 → 0.11 (per line it
		// would be 0.0525 → 0.05 twice = 0.10). IVA 0.315 → 0.32.
		// Total 1.50 + 0.32 − 0.11 = 1.71.
		name: "IRPF rounded once per rate, half cent",
		lines: `[{"description":"Hora A","quantity":1,"unit_price":0.75,"vat":21,"withholding":7},
			{"description":"Hora B","quantity":1,"unit_price":0.75,"vat":21,"withholding":7}]`,
		amounts:      []string{"0.75", "0.75"},
		taxes:        []string{"IVA 21% RE 0%: base 1.50, tax 0.32, surcharge 0.00"},
		withholdings: []string{"IRPF 7%: base 1.50, amount 0.11"},
		subtotal:     "1.50", tax: "0.32", surcharge: "0.00", withholding: "0.11", total: "1.71",
	},
	{
		// IRPF 19 % of 1200 = 228.00; 1 % of 250.50 = 2.505 → 2.51.
		// IVA 1450.50 × 0.21 = 304.605 → 304.61.
		// Total 1450.50 + 304.61 − 230.51 = 1524.60.
		name: "IRPF 19 % and 1 %",
		lines: `[{"description":"Alquiler local","quantity":1,"unit_price":1200,"vat":21,"withholding":19},
			{"description":"Transporte (módulos)","quantity":1,"unit_price":250.50,"vat":21,"withholding":1}]`,
		amounts: []string{"1200.00", "250.50"},
		taxes:   []string{"IVA 21% RE 0%: base 1450.50, tax 304.61, surcharge 0.00"},
		withholdings: []string{
			"IRPF 19%: base 1200.00, amount 228.00",
			"IRPF 1%: base 250.50, amount 2.51",
		},
		subtotal: "1450.50", tax: "304.61", surcharge: "0.00", withholding: "230.51", total: "1524.60",
	},
	{
		// 2.5 × 40 = 100.00; 0.75 × 18.60 = 13.95; 1.333 × 9.99 = 13.31667
		// → 13.32; 12.125 × 3.10 = 37.5875 → 37.59.
		// 21 %: base 127.27, IVA 26.7267 → 26.73. 10 %: 37.59, IVA 3.759 → 3.76.
		name: "decimal quantities",
		lines: `[{"description":"Horas","quantity":2.5,"unit_price":40,"vat":21},
			{"description":"Cable (m)","quantity":"0.75","unit_price":"18.60","vat":21},
			{"description":"Pintura (l)","quantity":1.333,"unit_price":9.99,"vat":21},
			{"description":"Fruta (kg)","quantity":12.125,"unit_price":3.10,"vat":10}]`,
		amounts: []string{"100.00", "13.95", "13.32", "37.59"},
		taxes: []string{
			"IVA 21% RE 0%: base 127.27, tax 26.73, surcharge 0.00",
			"IVA 10% RE 0%: base 37.59, tax 3.76, surcharge 0.00",
		},
		subtotal: "164.86", tax: "30.49", surcharge: "0.00", withholding: "0.00", total: "195.35",
	},
	{
		// −3 × 0.335 = −1.005 → −1.01 (away from zero); IVA −0.2121 → −0.21.
		name:     "negative line rounds half away from zero",
		lines:    `[{"description":"Abono clips","quantity":-3,"unit_price":0.335,"vat":21}]`,
		amounts:  []string{"-1.01"},
		taxes:    []string{"IVA 21% RE 0%: base -1.01, tax -0.21, surcharge 0.00"},
		subtotal: "-1.01", tax: "-0.21", surcharge: "0.00", withholding: "0.00", total: "-1.22",
	},
	{
		// Factura rectificativa of a professional invoice: base −1002.50,
		// IVA −210.525 → −210.53; IRPF 15 % of −1000 = −150.00.
		// Total −1002.50 − 210.53 + 150.00 = −1063.03.
		name: "factura rectificativa with IRPF",
		lines: `[{"description":"Honorarios (rectificación)","quantity":-1,"unit_price":1000,"vat":21,"withholding":15},
			{"description":"Cuaderno (rectificación)","quantity":-1,"unit_price":2.50,"vat":21}]`,
		amounts:      []string{"-1000.00", "-2.50"},
		taxes:        []string{"IVA 21% RE 0%: base -1002.50, tax -210.53, surcharge 0.00"},
		withholdings: []string{"IRPF 15%: base -1000.00, amount -150.00"},
		subtotal:     "-1002.50", tax: "-210.53", surcharge: "0.00", withholding: "-150.00", total: "-1063.03",
	},
	{
		// 100 − 50 (returned item) − 5 (discount line with a negative
		// price) = 45.00; IVA 9.45.
		name: "positive and negative lines together",
		lines: `[{"description":"Lámpara","quantity":2,"unit_price":50,"vat":21},
			{"description":"Devolución lámpara","quantity":-1,"unit_price":50,"vat":21},
			{"description":"Descuento comercial","quantity":1,"unit_price":-5,"vat":21}]`,
		amounts:  []string{"100.00", "-50.00", "-5.00"},
		taxes:    []string{"IVA 21% RE 0%: base 45.00, tax 9.45, surcharge 0.00"},
		subtotal: "45.00", tax: "9.45", surcharge: "0.00", withholding: "0.00", total: "54.45",
	},
	{
		// Exempt training still withheld: IRPF 15 % of 500 = 75; total 425.
		name:         "exempt line with IRPF",
		lines:        `[{"description":"Curso","quantity":1,"unit_price":500,"vat":0,"vat_exemption":"Exenta art. 20.Uno.9 LIVA","withholding":15}]`,
		amounts:      []string{"500.00"},
		taxes:        []string{"IVA 0% RE 0% [Exenta art. 20.Uno.9 LIVA]: base 500.00, tax 0.00, surcharge 0.00"},
		withholdings: []string{"IRPF 15%: base 500.00, amount 75.00"},
		subtotal:     "500.00", tax: "0.00", surcharge: "0.00", withholding: "75.00", total: "425.00",
	},
	{
		// 1000 × 999999.99 = 999999990.00; IVA × 0.21 = 209999997.90;
		// recargo × 0.052 = 51999999.48; total 1261999987.38.
		name:     "large amounts",
		lines:    `[{"description":"Flota","quantity":1000,"unit_price":"999999.99","vat":21,"surcharge":5.2}]`,
		amounts:  []string{"999999990.00"},
		taxes:    []string{"IVA 21% RE 5.2%: base 999999990.00, tax 209999997.90, surcharge 51999999.48"},
		subtotal: "999999990.00", tax: "209999997.90", surcharge: "51999999.48", withholding: "0.00", total: "1261999987.38",
	},
	{
		// 1000 lines alternating 3 × 0.335 at 21 % (1.01 each) and
		// 1 × 10 at 10 % with IRPF 15 % (10.00 each), 500 of each.
		// 21 %: base 505.00, IVA 106.05. 10 %: base 5000.00, IVA 500.00.
		// IRPF 750.00. Total 5505.00 + 606.05 − 750.00 = 5361.05.
		name: "large invoice, 1000 lines",
		lines: repeatLine(500, `{"description":"Clips","quantity":3,"unit_price":0.335,"vat":21},`+
			`{"description":"Hora","quantity":1,"unit_price":10,"vat":10,"withholding":15}`),
		amounts: slices.Repeat([]string{"1.01", "10.00"}, 500),
		taxes: []string{
			"IVA 21% RE 0%: base 505.00, tax 106.05, surcharge 0.00",
			"IVA 10% RE 0%: base 5000.00, tax 500.00, surcharge 0.00",
		},
		withholdings: []string{"IRPF 15%: base 5000.00, amount 750.00"},
		subtotal:     "5505.00", tax: "606.05", surcharge: "0.00", withholding: "750.00", total: "5361.05",
	},
}

func TestCompute(t *testing.T) {
	for _, tc := range totalsCases {
		t.Run(tc.name, func(t *testing.T) {
			lines, err := ParseLines([]byte(tc.lines))
			if err != nil {
				t.Fatalf("ParseLines: %v", err)
			}
			got := Compute(lines)

			amounts := make([]string, len(got.LineAmounts))
			for i, a := range got.LineAmounts {
				amounts[i] = cents(t, a)
			}
			assertStrings(t, "line amounts", amounts, tc.amounts)
			assertStrings(t, "tax rows", taxRows(t, got.Taxes), tc.taxes)
			assertStrings(t, "withholding rows", withholdingRows(t, got.Withholdings), tc.withholdings)
			for _, f := range []struct {
				name string
				got  decimal.Decimal
				want string
			}{
				{"subtotal", got.Subtotal, tc.subtotal},
				{"tax total", got.TaxTotal, tc.tax},
				{"surcharge total", got.SurchargeTotal, tc.surcharge},
				{"withholding total", got.WithholdingTotal, tc.withholding},
				{"total", got.Total, tc.total},
			} {
				if s := cents(t, f.got); s != f.want {
					t.Errorf("%s = %s, want %s", f.name, s, f.want)
				}
			}
		})
	}
}

// TestComputeNegateMirrors checks that a factura rectificativa built with
// Negate is the exact mirror of the original, cent for cent: rounding half
// away from zero is symmetric, so no amount may drift by a cent.
func TestComputeNegateMirrors(t *testing.T) {
	for _, tc := range totalsCases {
		lines, err := ParseLines([]byte(tc.lines))
		if err != nil {
			t.Fatalf("%s: ParseLines: %v", tc.name, err)
		}
		orig, rect := Compute(lines), Compute(Negate(lines))
		for i := range orig.LineAmounts {
			if !rect.LineAmounts[i].Equal(orig.LineAmounts[i].Neg()) {
				t.Errorf("%s: line %d: %s is not −%s", tc.name, i+1, rect.LineAmounts[i], orig.LineAmounts[i])
			}
		}
		if !rect.Total.Equal(orig.Total.Neg()) || !rect.TaxTotal.Equal(orig.TaxTotal.Neg()) ||
			!rect.SurchargeTotal.Equal(orig.SurchargeTotal.Neg()) || !rect.WithholdingTotal.Equal(orig.WithholdingTotal.Neg()) {
			t.Errorf("%s: rectifying totals %+v do not mirror %+v", tc.name, rect, orig)
		}
	}
}

func TestComputeEmpty(t *testing.T) {
	got, err := Compute(nil).MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"line_amounts":[],"subtotal":0.00,"tax_total":0.00,"surcharge_total":0.00,` +
		`"withholding_total":0.00,"total":0.00,"taxes":[],"withholdings":[]}`
	if string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestTotalsJSON(t *testing.T) {
	lines, err := ParseLines([]byte(`[
		{"description":"Camisetas","quantity":1,"unit_price":100,"vat":21,"surcharge":5.2,"withholding":15},
		{"description":"Curso","quantity":1,"unit_price":50,"vat":0,"vat_exemption":"Exenta"}]`))
	if err != nil {
		t.Fatal(err)
	}
	// IVA 21; recargo 5.20; IRPF 15; total 150 + 21 + 5.20 − 15 = 161.20.
	const want = `{"line_amounts":[100.00,50.00],"subtotal":150.00,"tax_total":21.00,"surcharge_total":5.20,` +
		`"withholding_total":15.00,"total":161.20,"taxes":[` +
		`{"vat":21,"base":100.00,"tax":21.00,"surcharge":5.2,"surcharge_amount":5.20},` +
		`{"vat":0,"base":50.00,"tax":0.00,"surcharge":0,"surcharge_amount":0.00,"vat_exemption":"Exenta"}],` +
		`"withholdings":[{"rate":15,"base":100.00,"amount":15.00}]}`
	got, err := Compute(lines).MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// cents formats an amount with two decimals, failing if it is not a whole
// number of cents (StringFixed alone would hide a missing rounding).
func cents(t *testing.T, d decimal.Decimal) string {
	t.Helper()
	if !d.Equal(RoundCents(d)) {
		t.Errorf("%s is not rounded to the cent", plainNumber(d))
	}
	return d.StringFixed(centPlaces)
}

func taxRows(t *testing.T, rows []TaxRow) []string {
	t.Helper()
	out := make([]string, len(rows))
	for i, r := range rows {
		exemption := ""
		if r.VATExemption != "" {
			exemption = " [" + r.VATExemption + "]"
		}
		out[i] = fmt.Sprintf("IVA %s%% RE %s%%%s: base %s, tax %s, surcharge %s", plainNumber(r.VAT),
			plainNumber(r.Surcharge), exemption, cents(t, r.Base), cents(t, r.Tax), cents(t, r.SurchargeAmount))
	}
	return out
}

func withholdingRows(t *testing.T, rows []WithholdingRow) []string {
	t.Helper()
	out := make([]string, len(rows))
	for i, w := range rows {
		out[i] = fmt.Sprintf("IRPF %s%%: base %s, amount %s", plainNumber(w.Rate), cents(t, w.Base), cents(t, w.Amount))
	}
	return out
}

func assertStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}

// repeatLine builds a lines array holding n copies of the line object(s) in item.
func repeatLine(n int, item string) string {
	return "[" + strings.TrimSuffix(strings.Repeat(item+",", n), ",") + "]"
}

// repeatAmount is n copies of one expected line amount.
func repeatAmount(n int, amount string) []string {
	return slices.Repeat([]string{amount}, n)
}
