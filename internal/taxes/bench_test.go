package taxes

import "testing"

// benchLines is a realistic 10-line invoice mixing every feature.
const benchLines = `[
	{"description":"Diseño web","quantity":12.5,"unit_price":"45.00","vat":21,"withholding":15},
	{"description":"Hosting anual","quantity":1,"unit_price":"119.99","discount":10,"vat":21},
	{"description":"Dominio","quantity":2,"unit_price":"12.50","vat":21},
	{"description":"Curso","quantity":1,"unit_price":300,"vat":0,"vat_exemption":"Exenta art. 20 LIVA","withholding":7},
	{"description":"Libros","quantity":3,"unit_price":"24.95","vat":4,"surcharge":0.5},
	{"description":"Comida","quantity":4,"unit_price":"15.35","vat":10,"surcharge":1.4},
	{"description":"Camisetas","quantity":10,"unit_price":"8.335","discount":"12.5","vat":21,"surcharge":5.2},
	{"description":"Alquiler","quantity":1,"unit_price":850,"vat":21,"withholding":19},
	{"description":"Devolución","quantity":-1,"unit_price":"24.95","vat":4,"surcharge":0.5},
	{"description":"Transporte","quantity":1,"unit_price":"60.10","vat":21,"withholding":1}
]`

func BenchmarkParseLines(b *testing.B) {
	raw := []byte(benchLines)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseLines(raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompute(b *testing.B) {
	lines, err := ParseLines([]byte(benchLines))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Compute(lines)
	}
}
