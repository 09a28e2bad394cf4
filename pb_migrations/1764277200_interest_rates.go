package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

const interestRateID = "pbc_interest_rates"

// publishedInterestRates are the statutory late-payment rates for commercial
// transactions (art. 7 Ley 3/2004) whose publication could be checked; staff
// add each new half-year's rate in the dashboard when the BOE publishes it.
var publishedInterestRates = []struct {
	from, source string
	rate         float64
}{
	{"2023-01-01", "Resolución de 28 de diciembre de 2022, Secretaría General del Tesoro y Financiación Internacional (BOE 30/12/2022)", 10.50},
	{"2025-01-01", "Resolución de 30 de diciembre de 2024, Secretaría General del Tesoro y Financiación Internacional", 11.15},
}

// The table of statutory late-payment interest rates, one row per
// half-year. Only staff read and edit it: the portal shows interest already
// computed, never the table.
func init() {
	m.Register(func(app core.App) error {
		c := core.NewBaseCollection("interest_rates", interestRateID)
		c.Fields.Add(
			&core.DateField{Name: "from", Required: true, Presentable: true, Help: "First day of the half-year: 1 January or 1 July"},
			&core.NumberField{Name: "rate", Required: true, Min: floatPtr(0), Max: floatPtr(100), Help: "Percent a year, as the BOE publishes it (ECB main refinancing rate + 8 points), e.g. 10.15"},
			text("source", 300, "Where the rate was published, e.g. BOE-A-2025-27201"),
		)
		c.Fields.Add(timestamps()...)
		c.AddIndex("idx_interest_rates_from", true, "`from`", "")
		if err := app.Save(c); err != nil {
			return err
		}
		for _, p := range publishedInterestRates {
			r := core.NewRecord(c)
			r.Set("from", p.from)
			r.Set("rate", p.rate)
			r.Set("source", p.source)
			if err := app.Save(r); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(interestRateID)
		if err != nil {
			return nil
		}
		return app.Delete(c)
	})
}

func floatPtr(f float64) *float64 { return &f }
