// Package money is money at the product's storage boundary. Amounts are
// computed in decimal arithmetic and stored, with two decimals, in
// PocketBase number fields, which are float64: a float64 holds every amount
// of cents below 2^53 closely enough that rounding it back to the cent gives
// the amount stored. Bounding every amount far below that (Max) keeps every
// stored amount exact to the cent.
package money

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/shopspring/decimal"
)

// Currency is the currency every amount is in.
const Currency = "EUR"

// Max is the largest amount, in absolute value, that the product stores:
// 999,999,999,999.99 (under a trillion). Beyond it an amount is refused.
var Max = decimal.RequireFromString("999999999999.99")

// ErrTooLarge is an amount beyond Max.
var ErrTooLarge = errors.New("is beyond 999999999999.99")

// Cents rounds to the cent, half away from zero.
func Cents(d decimal.Decimal) decimal.Decimal {
	return d.Round(2)
}

// FromStored reads an amount as stored (a float64 number field).
func FromStored(f float64) decimal.Decimal {
	return Cents(decimal.NewFromFloat(f))
}

// ToStored is the float64 a number field stores for an amount rounded to the
// cent.
func ToStored(d decimal.Decimal) float64 {
	return Cents(d).InexactFloat64()
}

// InRange tells whether an amount can be stored exactly.
func InRange(d decimal.Decimal) bool {
	return d.Abs().Cmp(Max) <= 0
}

// plain is an amount as people and programs write one: digits, at most two
// decimals after a point, an optional minus sign. No exponent, no grouping.
var plain = regexp.MustCompile(`^-?[0-9]{1,15}(\.[0-9]{1,2})?$`)

// Parse reads an amount written plainly ("120.50", "-3", "0.5"), refusing
// more than two decimals (a silent rounding), exponents and amounts beyond
// Max.
func Parse(text string) (decimal.Decimal, error) {
	if !plain.MatchString(text) {
		if d, err := decimal.NewFromString(text); err == nil && d.Exponent() < -2 && len(text) < 40 {
			return decimal.Decimal{}, fmt.Errorf("has more than two decimals")
		}
		return decimal.Decimal{}, errors.New("must be an amount such as 120.50")
	}
	d := decimal.RequireFromString(text)
	if !InRange(d) {
		return decimal.Decimal{}, ErrTooLarge
	}
	return d, nil
}
