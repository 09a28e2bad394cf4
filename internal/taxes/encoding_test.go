package taxes

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestPlainNumber(t *testing.T) {
	cases := []struct{ in, want string }{
		{"21", "21"},
		{"21.00", "21"},
		{"5.20", "5.2"},
		{"0.5", "0.5"},
		{"-0.335", "-0.335"},
		{"1e3", "1000"},
		{"0", "0"},
		{"0.000", "0"},
		{"-12.50", "-12.5"},
	}
	for _, tc := range cases {
		if got := plainNumber(decimal.RequireFromString(tc.in)); got != tc.want {
			t.Errorf("plainNumber(%s) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestJSONIgnoresDecimalGlobals checks that our JSON neither depends on nor
// changes shopspring's package-wide formatting switches, which other
// packages in the binary may set as they like.
func TestJSONIgnoresDecimalGlobals(t *testing.T) {
	lines := []Line{{
		Description: "x", Quantity: decimal.RequireFromString("2.50"), UnitPrice: decimal.RequireFromString("1.10"),
		VAT: decimal.RequireFromString("21.00"), Surcharge: decimal.RequireFromString("5.2"),
	}}
	const wantLines = `[{"description":"x","quantity":2.5,"unit_price":1.1,"vat":21,"surcharge":5.2}]`
	const wantTotals = `{"line_amounts":[2.75],"subtotal":2.75,"tax_total":0.58,"surcharge_total":0.14,` +
		`"withholding_total":0.00,"total":3.47,"taxes":[{"vat":21,"base":2.75,"tax":0.58,"surcharge":5.2,` +
		`"surcharge_amount":0.14}],"withholdings":[]}`

	defer func(trim, sci bool) { decimal.TrimTrailingZeros, decimal.UseScientificNotation = trim, sci }(
		decimal.TrimTrailingZeros, decimal.UseScientificNotation)
	for _, globals := range []struct{ trim, sci bool }{{true, false}, {false, true}} {
		decimal.TrimTrailingZeros, decimal.UseScientificNotation = globals.trim, globals.sci

		gotLines, err := MarshalLines(lines)
		if err != nil {
			t.Fatal(err)
		}
		if string(gotLines) != wantLines {
			t.Errorf("globals %+v: MarshalLines = %s, want %s", globals, gotLines, wantLines)
		}
		// 2.5 × 1.10 = 2.75; IVA 0.5775 → 0.58; recargo 0.143 → 0.14; total 3.47.
		gotTotals, err := Compute(lines).MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if string(gotTotals) != wantTotals {
			t.Errorf("globals %+v: Totals JSON = %s, want %s", globals, gotTotals, wantTotals)
		}
	}
	if decimal.MarshalJSONWithoutQuotes {
		t.Error("decimal.MarshalJSONWithoutQuotes was switched on")
	}
}
