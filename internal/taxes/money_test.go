package taxes

import (
	"testing"

	"github.com/shopspring/decimal"
)

// TestRoundCents pins half-away-from-zero rounding, for negatives too: if a
// shopspring upgrade switched Round to banker's rounding, this would fail.
func TestRoundCents(t *testing.T) {
	cases := []struct{ in, want string }{
		{"0.005", "0.01"},
		{"-0.005", "-0.01"},
		{"1.005", "1.01"},
		{"-1.005", "-1.01"},
		{"0.015", "0.02"}, // half-even would give 0.02 too; see 0.025
		{"0.025", "0.03"}, // half-even would give 0.02
		{"-0.025", "-0.03"},
		{"2.675", "2.68"}, // float64 rounding gives 2.67 (2.675 is 2.67499… as a float)
		{"1.0049999", "1"},
		{"-1.0049999", "-1"},
		{"0.0105", "0.01"},
		{"-0.0105", "-0.01"},
		{"0.004", "0"},
		{"-0.004", "0"},
		{"7", "7"},
		{"123456789012.345", "123456789012.35"},
	}
	for _, tc := range cases {
		got := RoundCents(decimal.RequireFromString(tc.in))
		if !got.Equal(decimal.RequireFromString(tc.want)) {
			t.Errorf("RoundCents(%s) = %s, want %s", tc.in, got.StringFixed(4), tc.want)
		}
		if got.Exponent() != -centPlaces {
			t.Errorf("RoundCents(%s) has exponent %d, want %d", tc.in, got.Exponent(), -centPlaces)
		}
	}
}

func TestPercentOf(t *testing.T) {
	cases := []struct{ base, rate, want string }{
		{"100", "21", "21"},
		{"0.05", "21", "0.01"},   // 0.0105
		{"2.50", "21", "0.53"},   // 0.525
		{"-2.50", "21", "-0.53"}, // -0.525
		{"25", "0.5", "0.13"},    // 0.125
		{"333.33", "7", "23.33"}, // 23.3331
		{"1", "0", "0"},
		{"10.10", "5.2", "0.53"}, // 0.5252
	}
	for _, tc := range cases {
		got := percentOf(decimal.RequireFromString(tc.base), decimal.RequireFromString(tc.rate))
		if !got.Equal(decimal.RequireFromString(tc.want)) {
			t.Errorf("percentOf(%s, %s) = %s, want %s", tc.base, tc.rate, got.StringFixed(2), tc.want)
		}
	}
}
