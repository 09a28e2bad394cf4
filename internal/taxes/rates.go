package taxes

import (
	"strings"

	"github.com/shopspring/decimal"
)

// The rates the product accepts. Parsed values are replaced by these table
// entries, so "21", 21 and 21.00 all become the same rate.
var (
	// vatRates are the IVA (VAT) rates, highest first.
	vatRates = decimals("21", "10", "4", "0")
	// surchargeRates are the recargo de equivalencia rates, in the order of
	// the IVA rate each one accompanies (see surchargeVAT).
	surchargeRates = decimals("5.2", "1.4", "0.5")
	// surchargeVAT[i] is the only IVA rate that surchargeRates[i] may go with.
	surchargeVAT = decimals("21", "10", "4")
	// withholdingRates are the IRPF (income-tax withholding) rates.
	withholdingRates = decimals("15", "7", "19", "1")
)

// decimals parses rate literals; it panics on a typo, at package start.
func decimals(literals ...string) []decimal.Decimal {
	out := make([]decimal.Decimal, len(literals))
	for i, s := range literals {
		out[i] = decimal.RequireFromString(s)
	}
	return out
}

// findRate returns the index of v in rates, or -1.
func findRate(rates []decimal.Decimal, v decimal.Decimal) int {
	for i, r := range rates {
		if r.Equal(v) {
			return i
		}
	}
	return -1
}

// oneOf renders rates for an error message: "21, 10, 4 or 0".
func oneOf(rates []decimal.Decimal) string {
	names := make([]string, len(rates))
	for i, r := range rates {
		names[i] = plainNumber(r)
	}
	last := len(names) - 1
	return strings.Join(names[:last], ", ") + " or " + names[last]
}
