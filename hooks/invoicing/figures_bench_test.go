package invoicing_test

import (
	"fmt"
	"testing"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/clock"
)

// BenchmarkCustomerFigures computes one customer's first-screen figures
// (about 670 invoices) afresh, at the scale of the portal's load test, and
// every customer's at once, as the first screen of a day does.
func BenchmarkCustomerFigures(b *testing.B) {
	app := apptest.New(b)
	apptest.SeedScale(b, app)
	today := clock.Now()
	customer := func(i int) string { return fmt.Sprintf("scalecust%06d", 1+i%(apptest.ScaleCustomers-1)) }
	b.Run("Summarize", func(b *testing.B) {
		for i := range b.N {
			if _, err := invoicing.Summarize(app, customer(i), today); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("MonthlyTotals", func(b *testing.B) {
		for i := range b.N {
			if _, err := invoicing.MonthlyTotals(app, customer(i), invoicing.FigureMonths, today); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("AgeingOf", func(b *testing.B) {
		for i := range b.N {
			if _, err := invoicing.AgeingOf(app, customer(i), today); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("EveryCustomer", func(b *testing.B) {
		for i := range b.N {
			// Each iteration a new day: the figures are computed afresh.
			if _, err := invoicing.FiguresOf(app, customer(i), today.AddDate(0, 0, 1+i)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
