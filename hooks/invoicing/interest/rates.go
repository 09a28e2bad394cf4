package interest

import (
	"fmt"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"
)

// Rates is the collection of statutory rates, one row per half-year.
const Rates = "interest_rates"

// LoadRates returns every half-year's rate in the table, oldest first.
func LoadRates(app core.App) ([]Rate, error) {
	records, err := app.FindRecordsByFilter(Rates, "", "from", 0, 0)
	if err != nil {
		return nil, fmt.Errorf("loading the interest rates: %w", err)
	}
	rates := make([]Rate, 0, len(records))
	for _, r := range records {
		rates = append(rates, Rate{
			From:    r.GetDateTime("from").Time(),
			Percent: decimal.NewFromFloat(r.GetFloat("rate")),
		})
	}
	return rates, nil
}

// guardRate keeps each row on a half-year's first day: a rate from any other
// day would never be found, and the half-year would look missing.
func guardRate(e *core.RecordEvent) error {
	from := e.Record.GetDateTime("from").Time()
	if !from.IsZero() && !from.Equal(HalfYearStart(from)) {
		return apis.NewBadRequestError("A rate starts a half-year: its from date is 1 January or 1 July.",
			validation.Errors{"from": validation.NewError("validation_half_year", "must be 1 January or 1 July, at 00:00")})
	}
	return e.Next()
}
