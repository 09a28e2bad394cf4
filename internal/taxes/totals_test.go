package taxes

import (
	"fmt"
	"slices"
	"testing"

	"github.com/shopspring/decimal"

	"facturo/internal/taxes/taxcases"
)

func TestCompute(t *testing.T) {
	for _, tc := range taxcases.Totals {
		t.Run(tc.Name, func(t *testing.T) {
			lines, err := ParseLines([]byte(tc.Lines))
			if err != nil {
				t.Fatalf("ParseLines: %v", err)
			}
			got := Compute(lines)

			amounts := make([]string, len(got.LineAmounts))
			for i, a := range got.LineAmounts {
				amounts[i] = cents(t, a)
			}
			assertStrings(t, "line amounts", amounts, tc.Amounts)
			assertStrings(t, "tax rows", taxRows(t, got.Taxes), tc.Taxes)
			assertStrings(t, "withholding rows", withholdingRows(t, got.Withholdings), tc.Withholdings)
			for _, f := range []struct {
				name string
				got  decimal.Decimal
				want string
			}{
				{"subtotal", got.Subtotal, tc.Subtotal},
				{"tax total", got.TaxTotal, tc.Tax},
				{"surcharge total", got.SurchargeTotal, tc.Surcharge},
				{"withholding total", got.WithholdingTotal, tc.Withholding},
				{"total", got.Total, tc.Total},
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
	for _, tc := range taxcases.Totals {
		lines, err := ParseLines([]byte(tc.Lines))
		if err != nil {
			t.Fatalf("%s: ParseLines: %v", tc.Name, err)
		}
		orig, rect := Compute(lines), Compute(Negate(lines))
		for i := range orig.LineAmounts {
			if !rect.LineAmounts[i].Equal(orig.LineAmounts[i].Neg()) {
				t.Errorf("%s: line %d: %s is not −%s", tc.Name, i+1, rect.LineAmounts[i], orig.LineAmounts[i])
			}
		}
		if !rect.Total.Equal(orig.Total.Neg()) || !rect.TaxTotal.Equal(orig.TaxTotal.Neg()) ||
			!rect.SurchargeTotal.Equal(orig.SurchargeTotal.Neg()) || !rect.WithholdingTotal.Equal(orig.WithholdingTotal.Neg()) {
			t.Errorf("%s: rectifying totals %+v do not mirror %+v", tc.Name, rect, orig)
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
