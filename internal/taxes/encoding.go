package taxes

import (
	"strings"

	"github.com/shopspring/decimal"
)

// The types below write decimals as JSON numbers. They exist so that this
// package never flips shopspring's package-wide MarshalJSONWithoutQuotes,
// which would change the JSON of every other package in the binary. They
// also avoid Decimal.String, whose output depends on the package-wide
// TrimTrailingZeros and UseScientificNotation switches.

// moneyJSON marshals an amount as a JSON number with exactly two decimals (121.00).
type moneyJSON decimal.Decimal

// MarshalJSON writes the amount unquoted, with two decimals.
func (m moneyJSON) MarshalJSON() ([]byte, error) {
	return []byte(decimal.Decimal(m).StringFixed(centPlaces)), nil
}

// moneySlice converts amounts for marshalling.
func moneySlice(amounts []decimal.Decimal) []moneyJSON {
	out := make([]moneyJSON, len(amounts))
	for i, a := range amounts {
		out[i] = moneyJSON(a)
	}
	return out
}

// numberJSON marshals a rate or quantity as its shortest exact JSON number (21, 5.2, 0.333).
type numberJSON decimal.Decimal

// MarshalJSON writes the number unquoted, without trailing zeros.
func (n numberJSON) MarshalJSON() ([]byte, error) {
	return []byte(plainNumber(decimal.Decimal(n))), nil
}

// IsZero lets the `omitzero` tag drop optional fields that are 0.
func (n numberJSON) IsZero() bool {
	return decimal.Decimal(n).IsZero()
}

// plainNumber formats d exactly, without trailing zeros or exponent ("2.50" → "2.5").
func plainNumber(d decimal.Decimal) string {
	if d.Exponent() >= 0 {
		return d.StringFixed(0)
	}
	// StringFixed at the number's own scale neither rounds nor reads the
	// package-wide formatting switches; only the zero padding is removed.
	s := d.StringFixed(-d.Exponent())
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
