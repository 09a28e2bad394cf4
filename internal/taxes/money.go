package taxes

import (
	"facturo/internal/money"

	"github.com/shopspring/decimal"
)

// centPlaces is how many decimals money keeps: euros are counted in cents.
const centPlaces = 2

// RoundCents rounds d to the cent, half away from zero (1.005 → 1.01, −1.005 → −1.01).
//
// Every monetary rounding in the package goes through here so that the rule
// lives in one place. Half away from zero (rather than banker's rounding) is
// the product rule, and it keeps a credit note the exact mirror of the
// invoice it cancels.
func RoundCents(d decimal.Decimal) decimal.Decimal {
	// money.Cents is shopspring's Round(2): it truncates to one extra digit,
	// adds sign(d)·5 and truncates again, which is half away from zero for
	// both signs. TestRoundCents pins that behaviour so a library change
	// cannot slip by.
	return money.Cents(d)
}

// percentOf returns rate % of base, rounded to the cent.
func percentOf(base, rate decimal.Decimal) decimal.Decimal {
	// Shift(-2) divides by 100 exactly; Div would cut the quotient at the
	// package-global DivisionPrecision instead.
	return RoundCents(base.Mul(rate.Shift(-2)))
}
