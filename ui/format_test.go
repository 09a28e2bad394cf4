package ui

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestFormatMoney(t *testing.T) {
	for _, tc := range []struct {
		lang, amount, currency, want string
	}{
		{"es", "1234.56", "EUR", "1.234,56 €"},
		{"en", "1234.56", "EUR", "€1,234.56"},
		{"es", "-1234.56", "EUR", "-1.234,56 €"},
		{"en", "-1234.56", "EUR", "-€1,234.56"},
		{"es", "0", "EUR", "0,00 €"},
		{"en", "0.5", "EUR", "€0.50"},
		{"es", "1234567.8", "EUR", "1.234.567,80 €"},
		{"en", "100", "EUR", "€100.00"},
		{"es", "999.99", "EUR", "999,99 €"},
		{"es", "0.0125", "EUR", "0,0125 €"},
		{"en", "12.3400", "EUR", "€12.34"},
		{"es-ES", "1000", "eur", "1.000,00 €"},
		{"en", "1000", "USD", "$1,000.00"},
		{"es", "1000", "CHF", "1.000,00 CHF"},
		{"en", "-1000", "CHF", "-CHF 1,000.00"},
	} {
		if got := FormatMoney(tc.lang, dec(tc.amount), tc.currency); got != tc.want {
			t.Errorf("FormatMoney(%q, %s, %q) = %q, want %q", tc.lang, tc.amount, tc.currency, got, tc.want)
		}
	}
}

func TestFormatDecimal(t *testing.T) {
	for _, tc := range []struct{ lang, d, want string }{
		{"es", "1.5", "1,5"},
		{"en", "1.5", "1.5"},
		{"es", "1.500", "1,5"},
		{"es", "2", "2"},
		{"en", "2.000", "2"},
		{"es", "5.2", "5,2"},
		{"es", "1000", "1.000"},
		{"en", "12345.25", "12,345.25"},
		{"es", "-3", "-3"},
		{"en", "0", "0"},
		{"es", "0.125", "0,125"},
	} {
		if got := FormatDecimal(tc.lang, dec(tc.d)); got != tc.want {
			t.Errorf("FormatDecimal(%q, %s) = %q, want %q", tc.lang, tc.d, got, tc.want)
		}
	}
}

func TestFormatPercent(t *testing.T) {
	for _, tc := range []struct{ lang, d, want string }{
		{"es", "21", "21 %"},
		{"en", "21", "21%"},
		{"es", "5.2", "5,2 %"},
		{"en", "5.20", "5.2%"},
	} {
		if got := FormatPercent(tc.lang, dec(tc.d)); got != tc.want {
			t.Errorf("FormatPercent(%q, %s) = %q, want %q", tc.lang, tc.d, got, tc.want)
		}
	}
}

func TestFormatDate(t *testing.T) {
	d := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	early := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		lang string
		t    time.Time
		want string
	}{
		{"es", d, "27/11/2026"},
		{"en", d, "27 Nov 2026"},
		{"es", early, "05/03/2026"},
		{"en", early, "5 Mar 2026"},
		{"de", early, "5 Mar 2026"},
		// A date not set, such as a draft's issue date.
		{"es", time.Time{}, "—"},
		{"en", time.Time{}, "—"},
	} {
		if got := FormatDate(tc.lang, tc.t); got != tc.want {
			t.Errorf("FormatDate(%q, %v) = %q, want %q", tc.lang, tc.t, got, tc.want)
		}
	}
}

func TestFormatMomentIsOnTheFirmsClock(t *testing.T) {
	for _, c := range []struct {
		lang string
		at   time.Time
		want string
	}{
		{"es", time.Date(2026, 11, 27, 12, 46, 0, 0, time.UTC), "27/11/2026 13:46"}, // winter: UTC+1
		{"en", time.Date(2026, 7, 1, 22, 30, 0, 0, time.UTC), "2 Jul 2026 00:30"},   // summer: UTC+2, the next day
	} {
		if got := FormatMoment(c.lang, c.at); got != c.want {
			t.Errorf("FormatMoment(%s, %v) = %q, want %q", c.lang, c.at, got, c.want)
		}
	}
}
