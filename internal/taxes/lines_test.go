package taxes

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestMarshalLinesCanonical(t *testing.T) {
	raw := `[
		{"withholding":0,"surcharge":5.20,"vat":"21.0","discount":0,"unit_price":0.10,"quantity":"12.50","description":" Tornillos "},
		{"description":"Curso","quantity":1,"unit_price":200,"discount":"7.5","vat":0,"vat_exemption":"Exenta art. 20 LIVA","withholding":15}
	]`
	// Keys in a fixed order, numbers unquoted and trimmed, zero/empty optional fields left out.
	const want = `[{"description":"Tornillos","quantity":12.5,"unit_price":0.1,"vat":21,"surcharge":5.2},` +
		`{"description":"Curso","quantity":1,"unit_price":200,"discount":7.5,"vat":0,"vat_exemption":"Exenta art. 20 LIVA","withholding":15}]`
	lines, err := ParseLines([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	got, err := MarshalLines(lines)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	// Canonical means a fixed point: reading it back and writing again changes nothing.
	again, err := ParseLines(got)
	if err != nil {
		t.Fatal(err)
	}
	if got2, _ := MarshalLines(again); string(got2) != want {
		t.Errorf("round trip changed the JSON:\n got  %s\nwant %s", got2, want)
	}
}

func TestMarshalLinesEmpty(t *testing.T) {
	got, err := MarshalLines(nil)
	if err != nil || string(got) != "[]" {
		t.Errorf("MarshalLines(nil) = %s, %v; want [], nil", got, err)
	}
}

func TestNegate(t *testing.T) {
	lines, err := ParseLines([]byte(`[
		{"description":"A","quantity":3,"unit_price":0.335,"vat":21,"withholding":15},
		{"description":"B","quantity":-2.5,"unit_price":4,"discount":10,"vat":0,"vat_exemption":"E1"}]`))
	if err != nil {
		t.Fatal(err)
	}
	negated := Negate(lines)
	want := []string{
		`"A" q=-3 p=0.335 d=0 vat=21 ex="" re=0 irpf=15`,
		`"B" q=2.5 p=4 d=10 vat=0 ex="E1" re=0 irpf=0`,
	}
	for i, l := range negated {
		if got := describe(l); got != want[i] {
			t.Errorf("line %d = %s, want %s", i+1, got, want[i])
		}
	}
	if !lines[0].Quantity.Equal(decimal.NewFromInt(3)) {
		t.Errorf("Negate modified its input: quantity %s", lines[0].Quantity)
	}
	// The negated lines are still valid input, as a rectifying invoice must be.
	raw, err := MarshalLines(negated)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseLines(raw); err != nil {
		t.Errorf("negated lines do not parse: %v", err)
	}
}
