// Package taxcases holds the hand-checked invoices that the totals are
// tested on: the taxes package computes them, and the workspace's editor,
// which asks the server for its figures, must show the same.
package taxcases

import (
	"slices"
	"strings"
)

// Case is one invoice and its hand-computed totals. Money is written
// with two decimals; tax rows as "IVA v% RE s% [exención]: base, tax,
// surcharge" and withholdings as "IRPF r%: base, amount".
type Case struct {
	Name         string
	Lines        string // the invoice's lines JSON, parsed with ParseLines
	Amounts      []string
	Taxes        []string
	Withholdings []string
	Subtotal     string
	Tax          string
	Surcharge    string
	Withholding  string
	Total        string
}

// Totals are the cases, each with the sum done by hand in its comment.
var Totals = []Case{
	{
		Name:     "single line at 21 %",
		Lines:    `[{"description":"Consultoría","quantity":1,"unit_price":100,"vat":21}]`,
		Amounts:  []string{"100.00"},
		Taxes:    []string{"IVA 21% RE 0%: base 100.00, tax 21.00, surcharge 0.00"},
		Subtotal: "100.00", Tax: "21.00", Surcharge: "0.00", Withholding: "0.00", Total: "121.00",
	},
	{
		// 3 × 0.335 = 1.005 → 1.01; IVA 1.01 × 0.21 = 0.2121 → 0.21.
		Name:     "line amount half cent rounds up",
		Lines:    `[{"description":"Clips","quantity":3,"unit_price":0.335,"vat":21}]`,
		Amounts:  []string{"1.01"},
		Taxes:    []string{"IVA 21% RE 0%: base 1.01, tax 0.21, surcharge 0.00"},
		Subtotal: "1.01", Tax: "0.21", Surcharge: "0.00", Withholding: "0.00", Total: "1.22",
	},
	{
		// IVA 0.05 × 0.21 = 0.0105 → 0.01.
		Name:     "tax below half a cent rounds down",
		Lines:    `[{"description":"Sobre","quantity":1,"unit_price":0.05,"vat":21}]`,
		Amounts:  []string{"0.05"},
		Taxes:    []string{"IVA 21% RE 0%: base 0.05, tax 0.01, surcharge 0.00"},
		Subtotal: "0.05", Tax: "0.01", Surcharge: "0.00", Withholding: "0.00", Total: "0.06",
	},
	{
		// IVA 2.50 × 0.21 = 0.525 → 0.53; 0.05 × 0.10 = 0.005 → 0.01.
		Name: "tax exactly half a cent rounds up",
		Lines: `[{"description":"Cuaderno","quantity":1,"unit_price":"2.50","vat":21},
			{"description":"Pan","quantity":1,"unit_price":"0.05","vat":10}]`,
		Amounts: []string{"2.50", "0.05"},
		Taxes: []string{
			"IVA 21% RE 0%: base 2.50, tax 0.53, surcharge 0.00",
			"IVA 10% RE 0%: base 0.05, tax 0.01, surcharge 0.00",
		},
		Subtotal: "2.55", Tax: "0.54", Surcharge: "0.00", Withholding: "0.00", Total: "3.09",
	},
	{
		// Each line 0.333 × 0.5 = 0.1665 → 0.17, ten lines 1.70; rounding
		// the unrounded sum 1.665 instead would give 1.67.
		// IVA 1.70 × 0.21 = 0.357 → 0.36.
		Name:     "per-line rounding differs from rounding the sum",
		Lines:    repeatLine(10, `{"description":"Etiqueta","quantity":1,"unit_price":0.333,"discount":50,"vat":21}`),
		Amounts:  repeatAmount(10, "0.17"),
		Taxes:    []string{"IVA 21% RE 0%: base 1.70, tax 0.36, surcharge 0.00"},
		Subtotal: "1.70", Tax: "0.36", Surcharge: "0.00", Withholding: "0.00", Total: "2.06",
	},
	{
		// 2 × 50 × 0.85 = 85.00; 100 % off = 0.00; 4 × 12.99 × 0.875 =
		// 45.465 → 45.47. Base 130.47; IVA 27.3987 → 27.40.
		Name: "discounts including 100 %",
		Lines: `[{"description":"Silla","quantity":2,"unit_price":50,"discount":15,"vat":21},
			{"description":"Montaje (gratis)","quantity":1,"unit_price":30,"discount":100,"vat":21},
			{"description":"Cojín","quantity":4,"unit_price":12.99,"discount":"12.5","vat":21}]`,
		Amounts:  []string{"85.00", "0.00", "45.47"},
		Taxes:    []string{"IVA 21% RE 0%: base 130.47, tax 27.40, surcharge 0.00"},
		Subtotal: "130.47", Tax: "27.40", Surcharge: "0.00", Withholding: "0.00", Total: "157.87",
	},
	{
		// 21 %: 100 + 0.5 × 40.10 = 120.05, IVA 25.2105 → 25.21.
		// 10 %: 2 × 15.50 = 31.00, IVA 3.10. 4 %: 3 × 2.25 = 6.75, IVA 0.27.
		// 0 %: two exención reasons, two rows, sorted by reason.
		// Subtotal 407.80; IVA 28.58; total 436.38.
		Name: "mixed IVA rates with exención reasons",
		Lines: `[{"description":"Portátil","quantity":1,"unit_price":100,"vat":21},
			{"description":"Exportación","quantity":1,"unit_price":50,"vat":0,"vat_exemption":"Exportación art. 21 LIVA"},
			{"description":"Restaurante","quantity":2,"unit_price":15.50,"vat":10},
			{"description":"Libros","quantity":3,"unit_price":2.25,"vat":4},
			{"description":"Formación","quantity":1,"unit_price":200,"vat":0,"vat_exemption":"Exenta art. 20 LIVA"},
			{"description":"Cable","quantity":0.5,"unit_price":40.10,"vat":21}]`,
		Amounts: []string{"100.00", "50.00", "31.00", "6.75", "200.00", "20.05"},
		Taxes: []string{
			"IVA 21% RE 0%: base 120.05, tax 25.21, surcharge 0.00",
			"IVA 10% RE 0%: base 31.00, tax 3.10, surcharge 0.00",
			"IVA 4% RE 0%: base 6.75, tax 0.27, surcharge 0.00",
			"IVA 0% RE 0% [Exenta art. 20 LIVA]: base 200.00, tax 0.00, surcharge 0.00",
			"IVA 0% RE 0% [Exportación art. 21 LIVA]: base 50.00, tax 0.00, surcharge 0.00",
		},
		Subtotal: "407.80", Tax: "28.58", Surcharge: "0.00", Withholding: "0.00", Total: "436.38",
	},
	{
		// Recargo: 100 × 5.2 % = 5.20; 50 × 1.4 % = 0.70; 25 × 0.5 % =
		// 0.125 → 0.13. IVA 21 + 5 + 1 = 27. Total 175 + 27 + 6.03.
		Name: "recargo de equivalencia 5.2, 1.4 and 0.5",
		Lines: `[{"description":"Camisetas","quantity":1,"unit_price":100,"vat":21,"surcharge":5.2},
			{"description":"Galletas","quantity":1,"unit_price":50,"vat":10,"surcharge":1.4},
			{"description":"Leche","quantity":1,"unit_price":25,"vat":4,"surcharge":0.5}]`,
		Amounts: []string{"100.00", "50.00", "25.00"},
		Taxes: []string{
			"IVA 21% RE 5.2%: base 100.00, tax 21.00, surcharge 5.20",
			"IVA 10% RE 1.4%: base 50.00, tax 5.00, surcharge 0.70",
			"IVA 4% RE 0.5%: base 25.00, tax 1.00, surcharge 0.13",
		},
		Subtotal: "175.00", Tax: "27.00", Surcharge: "6.03", Withholding: "0.00", Total: "208.03",
	},
	{
		// Same IVA, with and without recargo: two rows, the plain one first.
		// 10.10 × 0.21 = 2.121 → 2.12; × 0.052 = 0.5252 → 0.53.
		Name: "same IVA with and without recargo",
		Lines: `[{"description":"Con recargo","quantity":1,"unit_price":10.10,"vat":21,"surcharge":5.2},
			{"description":"Sin recargo","quantity":1,"unit_price":10,"vat":21}]`,
		Amounts: []string{"10.10", "10.00"},
		Taxes: []string{
			"IVA 21% RE 0%: base 10.00, tax 2.10, surcharge 0.00",
			"IVA 21% RE 5.2%: base 10.10, tax 2.12, surcharge 0.53",
		},
		Subtotal: "20.10", Tax: "4.22", Surcharge: "0.53", Withholding: "0.00", Total: "24.85",
	},
	{
		// IVA 210; IRPF 15 % of 1000 = 150; total 1000 + 210 − 150.
		Name:         "IRPF 15 % on a professional's fee",
		Lines:        `[{"description":"Honorarios","quantity":1,"unit_price":1000,"vat":21,"withholding":15}]`,
		Amounts:      []string{"1000.00"},
		Taxes:        []string{"IVA 21% RE 0%: base 1000.00, tax 210.00, surcharge 0.00"},
		Withholdings: []string{"IRPF 15%: base 1000.00, amount 150.00"},
		Subtotal:     "1000.00", Tax: "210.00", Surcharge: "0.00", Withholding: "150.00", Total: "1060.00",
	},
	{
		// Base 1278.83, IVA 268.5543 → 268.55. IRPF 15 % of 800 + 100 =
		// 135.00; 7 % of 333.33 = 23.3331 → 23.33; the 45.50 line is not
		// withheld. Total 1278.83 + 268.55 − 158.33 = 1389.05.
		Name: "IRPF 15 % and 7 % with a line not withheld",
		Lines: `[{"description":"Proyecto","quantity":1,"unit_price":800,"vat":21,"withholding":15},
			{"description":"Curso (nuevo profesional)","quantity":1,"unit_price":333.33,"vat":21,"withholding":7},
			{"description":"Material","quantity":1,"unit_price":45.50,"vat":21},
			{"description":"Revisión","quantity":1,"unit_price":100,"vat":21,"withholding":15}]`,
		Amounts: []string{"800.00", "333.33", "45.50", "100.00"},
		Taxes:   []string{"IVA 21% RE 0%: base 1278.83, tax 268.55, surcharge 0.00"},
		Withholdings: []string{
			"IRPF 15%: base 900.00, amount 135.00",
			"IRPF 7%: base 333.33, amount 23.33",
		},
		Subtotal: "1278.83", Tax: "268.55", Surcharge: "0.00", Withholding: "158.33", Total: "1389.05",
	},
	{
		// IRPF on the summed base: 7 % of 1.50 = 0.105 → 0.11 (per line it
		// would be 0.0525 → 0.05 twice = 0.10). IVA 0.315 → 0.32.
		// Total 1.50 + 0.32 − 0.11 = 1.71.
		Name: "IRPF rounded once per rate, half cent",
		Lines: `[{"description":"Hora A","quantity":1,"unit_price":0.75,"vat":21,"withholding":7},
			{"description":"Hora B","quantity":1,"unit_price":0.75,"vat":21,"withholding":7}]`,
		Amounts:      []string{"0.75", "0.75"},
		Taxes:        []string{"IVA 21% RE 0%: base 1.50, tax 0.32, surcharge 0.00"},
		Withholdings: []string{"IRPF 7%: base 1.50, amount 0.11"},
		Subtotal:     "1.50", Tax: "0.32", Surcharge: "0.00", Withholding: "0.11", Total: "1.71",
	},
	{
		// IRPF 19 % of 1200 = 228.00; 1 % of 250.50 = 2.505 → 2.51.
		// IVA 1450.50 × 0.21 = 304.605 → 304.61.
		// Total 1450.50 + 304.61 − 230.51 = 1524.60.
		Name: "IRPF 19 % and 1 %",
		Lines: `[{"description":"Alquiler local","quantity":1,"unit_price":1200,"vat":21,"withholding":19},
			{"description":"Transporte (módulos)","quantity":1,"unit_price":250.50,"vat":21,"withholding":1}]`,
		Amounts: []string{"1200.00", "250.50"},
		Taxes:   []string{"IVA 21% RE 0%: base 1450.50, tax 304.61, surcharge 0.00"},
		Withholdings: []string{
			"IRPF 19%: base 1200.00, amount 228.00",
			"IRPF 1%: base 250.50, amount 2.51",
		},
		Subtotal: "1450.50", Tax: "304.61", Surcharge: "0.00", Withholding: "230.51", Total: "1524.60",
	},
	{
		// 2.5 × 40 = 100.00; 0.75 × 18.60 = 13.95; 1.333 × 9.99 = 13.31667
		// → 13.32; 12.125 × 3.10 = 37.5875 → 37.59.
		// 21 %: base 127.27, IVA 26.7267 → 26.73. 10 %: 37.59, IVA 3.759 → 3.76.
		Name: "decimal quantities",
		Lines: `[{"description":"Horas","quantity":2.5,"unit_price":40,"vat":21},
			{"description":"Cable (m)","quantity":"0.75","unit_price":"18.60","vat":21},
			{"description":"Pintura (l)","quantity":1.333,"unit_price":9.99,"vat":21},
			{"description":"Fruta (kg)","quantity":12.125,"unit_price":3.10,"vat":10}]`,
		Amounts: []string{"100.00", "13.95", "13.32", "37.59"},
		Taxes: []string{
			"IVA 21% RE 0%: base 127.27, tax 26.73, surcharge 0.00",
			"IVA 10% RE 0%: base 37.59, tax 3.76, surcharge 0.00",
		},
		Subtotal: "164.86", Tax: "30.49", Surcharge: "0.00", Withholding: "0.00", Total: "195.35",
	},
	{
		// −3 × 0.335 = −1.005 → −1.01 (away from zero); IVA −0.2121 → −0.21.
		Name:     "negative line rounds half away from zero",
		Lines:    `[{"description":"Abono clips","quantity":-3,"unit_price":0.335,"vat":21}]`,
		Amounts:  []string{"-1.01"},
		Taxes:    []string{"IVA 21% RE 0%: base -1.01, tax -0.21, surcharge 0.00"},
		Subtotal: "-1.01", Tax: "-0.21", Surcharge: "0.00", Withholding: "0.00", Total: "-1.22",
	},
	{
		// Factura rectificativa of a professional invoice: base −1002.50,
		// IVA −210.525 → −210.53; IRPF 15 % of −1000 = −150.00.
		// Total −1002.50 − 210.53 + 150.00 = −1063.03.
		Name: "factura rectificativa with IRPF",
		Lines: `[{"description":"Honorarios (rectificación)","quantity":-1,"unit_price":1000,"vat":21,"withholding":15},
			{"description":"Cuaderno (rectificación)","quantity":-1,"unit_price":2.50,"vat":21}]`,
		Amounts:      []string{"-1000.00", "-2.50"},
		Taxes:        []string{"IVA 21% RE 0%: base -1002.50, tax -210.53, surcharge 0.00"},
		Withholdings: []string{"IRPF 15%: base -1000.00, amount -150.00"},
		Subtotal:     "-1002.50", Tax: "-210.53", Surcharge: "0.00", Withholding: "-150.00", Total: "-1063.03",
	},
	{
		// 100 − 50 (returned item) − 5 (discount line with a negative
		// price) = 45.00; IVA 9.45.
		Name: "positive and negative lines together",
		Lines: `[{"description":"Lámpara","quantity":2,"unit_price":50,"vat":21},
			{"description":"Devolución lámpara","quantity":-1,"unit_price":50,"vat":21},
			{"description":"Descuento comercial","quantity":1,"unit_price":-5,"vat":21}]`,
		Amounts:  []string{"100.00", "-50.00", "-5.00"},
		Taxes:    []string{"IVA 21% RE 0%: base 45.00, tax 9.45, surcharge 0.00"},
		Subtotal: "45.00", Tax: "9.45", Surcharge: "0.00", Withholding: "0.00", Total: "54.45",
	},
	{
		// Exempt training still withheld: IRPF 15 % of 500 = 75; total 425.
		Name:         "exempt line with IRPF",
		Lines:        `[{"description":"Curso","quantity":1,"unit_price":500,"vat":0,"vat_exemption":"Exenta art. 20.Uno.9 LIVA","withholding":15}]`,
		Amounts:      []string{"500.00"},
		Taxes:        []string{"IVA 0% RE 0% [Exenta art. 20.Uno.9 LIVA]: base 500.00, tax 0.00, surcharge 0.00"},
		Withholdings: []string{"IRPF 15%: base 500.00, amount 75.00"},
		Subtotal:     "500.00", Tax: "0.00", Surcharge: "0.00", Withholding: "75.00", Total: "425.00",
	},
	{
		// 1000 × 999999.99 = 999999990.00; IVA × 0.21 = 209999997.90;
		// recargo × 0.052 = 51999999.48; total 1261999987.38.
		Name:     "large amounts",
		Lines:    `[{"description":"Flota","quantity":1000,"unit_price":"999999.99","vat":21,"surcharge":5.2}]`,
		Amounts:  []string{"999999990.00"},
		Taxes:    []string{"IVA 21% RE 5.2%: base 999999990.00, tax 209999997.90, surcharge 51999999.48"},
		Subtotal: "999999990.00", Tax: "209999997.90", Surcharge: "51999999.48", Withholding: "0.00", Total: "1261999987.38",
	},
	{
		// 1000 lines alternating 3 × 0.335 at 21 % (1.01 each) and
		// 1 × 10 at 10 % with IRPF 15 % (10.00 each), 500 of each.
		// 21 %: base 505.00, IVA 106.05. 10 %: base 5000.00, IVA 500.00.
		// IRPF 750.00. Total 5505.00 + 606.05 − 750.00 = 5361.05.
		Name: "large invoice, 1000 lines",
		Lines: repeatLine(500, `{"description":"Clips","quantity":3,"unit_price":0.335,"vat":21},`+
			`{"description":"Hora","quantity":1,"unit_price":10,"vat":10,"withholding":15}`),
		Amounts: slices.Repeat([]string{"1.01", "10.00"}, 500),
		Taxes: []string{
			"IVA 21% RE 0%: base 505.00, tax 106.05, surcharge 0.00",
			"IVA 10% RE 0%: base 5000.00, tax 500.00, surcharge 0.00",
		},
		Withholdings: []string{"IRPF 15%: base 5000.00, amount 750.00"},
		Subtotal:     "5505.00", Tax: "606.05", Surcharge: "0.00", Withholding: "750.00", Total: "5361.05",
	},
}

// repeatLine builds a lines array holding n copies of the line object(s) in item.
func repeatLine(n int, item string) string {
	return "[" + strings.TrimSuffix(strings.Repeat(item+",", n), ",") + "]"
}

// repeatAmount is n copies of one expected line amount.
func repeatAmount(n int, amount string) []string {
	return slices.Repeat([]string{amount}, n)
}
