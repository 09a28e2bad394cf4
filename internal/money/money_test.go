package money

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{"120.50", "120.5", ""},
		{"-3", "-3", ""},
		{"0.5", "0.5", ""},
		{"999999999999.99", "999999999999.99", ""},
		{"1000000000000", "", "is beyond 999999999999.99"},
		{"10.005", "", "has more than two decimals"},
		{"1e400", "", "must be an amount such as 120.50"},
		{"1e2", "", "must be an amount such as 120.50"},
		{"NaN", "", "must be an amount such as 120.50"},
		{"Infinity", "", "must be an amount such as 120.50"},
		{"1,000.00", "", "must be an amount such as 120.50"},
		{"", "", "must be an amount such as 120.50"},
		{" 5", "", "must be an amount such as 120.50"},
	} {
		d, err := Parse(tc.in)
		switch {
		case tc.err != "" && (err == nil || err.Error() != tc.err):
			t.Errorf("Parse(%q) = %v, %v; want error %q", tc.in, d, err, tc.err)
		case tc.err == "" && (err != nil || !d.Equal(decimal.RequireFromString(tc.want))):
			t.Errorf("Parse(%q) = %v, %v; want %s", tc.in, d, err, tc.want)
		}
	}
}

// TestEveryAmountInRangeIsStoredExactly stores amounts across the range as
// float64 and reads them back: the cents must survive.
func TestEveryAmountInRangeIsStoredExactly(t *testing.T) {
	cases := []string{"0.01", "0.1", "0.29", "1.005", "123456789.99", "999999999999.99", "-999999999999.99", "562949953421.31", "70368744177.65"}
	// And a walk over the cents near the top of the range.
	top := Max
	for i := 0; i < 2000; i++ {
		cases = append(cases, top.Sub(decimal.New(int64(i*7919), -2)).String())
	}
	for _, c := range cases {
		d := Cents(decimal.RequireFromString(c))
		if got := FromStored(ToStored(d)); !got.Equal(d) {
			t.Fatalf("%s stored as %v reads back as %s", d, ToStored(d), got)
		}
	}
}
