// Package interest computes the late-payment interest and the fixed
// compensation a business creditor may claim in Spain under Ley 3/2004, de 29
// de diciembre, de lucha contra la morosidad en las operaciones comerciales
// (arts. 5, 7 and 8), which transposes Directive 2011/7/EU. The computation is
// pure; the files that take a core.App load the statutory rates, an
// invoice's payments, and turn the interest into a draft invoice.
package interest

import (
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"facturo/internal/taxes"
)

// Compensation is the fixed sum owed for the costs of collection on each
// invoice paid late, without any claim being needed: art. 8.1 Ley 3/2004
// ("una cantidad fija de 40 euros") and art. 6 of Directive 2011/7/EU. It is
// in euros whatever the invoice's currency, as the law states it.
var Compensation = decimal.NewFromInt(40)

// Rate is the statutory rate in force for one half-year: the ECB's main
// refinancing rate before the half-year's first day plus eight points (art.
// 7.2 Ley 3/2004), as the Treasury publishes it in the BOE.
type Rate struct {
	From    time.Time       // 1 January or 1 July
	Percent decimal.Decimal // e.g. 10.15
}

// Period is a stretch of days at one rate on one owed amount.
type Period struct {
	From, To time.Time // both days included
	Days     int
	Owed     decimal.Decimal // the unpaid amount the interest runs on
	Percent  decimal.Decimal
	// Amount is exact, not rounded: only the sum is rounded, once, so that
	// splitting a stretch into periods never changes the result.
	Amount decimal.Decimal
}

// Interest is the interest accrued on a debt.
type Interest struct {
	Amount  decimal.Decimal // rounded half away from zero to the cent
	Days    int             // days late on which something was owed
	Periods []Period
}

// Step is the amount owed from a day on: the debt after the payments made
// before that day.
type Step struct {
	From time.Time
	Owed decimal.Decimal
}

// MissingRateError names a half-year that has no rate in the table, so that
// staff add it instead of a claim silently leaving those days out.
type MissingRateError struct{ HalfYear time.Time }

func (e *MissingRateError) Error() string {
	half := "first"
	if e.HalfYear.Month() == time.July {
		half = "second"
	}
	return fmt.Sprintf("no late-payment interest rate for the %s half of %d (from %s): add the BOE's rate to interest_rates",
		half, e.HalfYear.Year(), e.HalfYear.Format(time.DateOnly))
}

var (
	hundred   = decimal.NewFromInt(100)
	dayCount  = decimal.NewFromInt(365)
	oneDayDur = 24 * time.Hour
)

// Accrued is the interest on owed, unpaid since due, up to and including
// asOf: see AccruedOnSteps.
func Accrued(owed decimal.Decimal, due, asOf time.Time, rates []Rate) (Interest, error) {
	return AccruedOnSteps(due, asOf, []Step{{From: due, Owed: owed}}, rates)
}

// AccruedOnSteps computes the interest on a debt that is paid off in steps.
//
// Interest runs from the day after the due date (Directive 2011/7/EU art.
// 3.3.a: "from the day following the date or the end of the period for
// payment fixed in the contract"; Ley 3/2004 art. 5: it is owed automatically,
// without notice) through asOf inclusive. A payment made on a day counts from
// the next day: the day the money arrives is the last day it was late, so
// that an invoice paid in full one day late accrues one day, as one payment
// in steps or in one go.
//
// Interest is simple, by the day, on a 365-day year: owed × rate/100 ×
// days/365. Each half-year's days carry that half-year's rate (art. 7.2: the
// rate "durante los seis meses siguientes"), so a stretch across 1 January or
// 1 July is split, and so is one across a payment. The sum is rounded half
// away from zero to the cent once, at the end.
//
// steps give the owed amount from each step's day on; a step on or before the
// due date sets what is owed when the delay starts. No interest is owed when
// asOf is not after due. A half-year without a rate is a *MissingRateError.
func AccruedOnSteps(due, asOf time.Time, steps []Step, rates []Rate) (Interest, error) {
	due, asOf = civil(due), civil(asOf)
	result := Interest{Amount: decimal.Zero}
	if !asOf.After(due) {
		return result, nil
	}
	table, err := rateTable(rates)
	if err != nil {
		return result, err
	}
	steps = slices.Clone(steps)
	for i := range steps {
		steps[i].From = civil(steps[i].From)
	}
	slices.SortStableFunc(steps, func(a, b Step) int { return a.From.Compare(b.From) })

	exact := decimal.Zero
	day := due.AddDate(0, 0, 1)
	for !day.After(asOf) {
		owed := owedOn(steps, day)
		half := halfYearStart(day)
		// The period ends at the earliest of: asOf, the half-year's last
		// day, the day before the owed amount next changes.
		end := minDay(asOf, half.AddDate(0, 6, -1))
		if next, ok := nextChange(steps, day); ok {
			end = minDay(end, next.AddDate(0, 0, -1))
		}
		days := daysBetween(day, end) + 1
		if owed.IsPositive() {
			percent, ok := table[half]
			if !ok {
				return Interest{Amount: decimal.Zero}, &MissingRateError{HalfYear: half}
			}
			amount := owed.Mul(percent).Mul(decimal.NewFromInt(int64(days))).Div(hundred.Mul(dayCount))
			result.Periods = append(result.Periods, Period{From: day, To: end, Days: days, Owed: owed, Percent: percent, Amount: amount})
			result.Days += days
			exact = exact.Add(amount)
		}
		day = end.AddDate(0, 0, 1)
	}
	result.Amount = taxes.RoundCents(exact)
	return result, nil
}

// rateTable indexes the rates by half-year, refusing a rate that does not
// start a half-year or a half-year given twice.
func rateTable(rates []Rate) (map[time.Time]decimal.Decimal, error) {
	table := make(map[time.Time]decimal.Decimal, len(rates))
	for _, r := range rates {
		from := civil(r.From)
		if from != halfYearStart(from) {
			return nil, fmt.Errorf("the rate from %s does not start a half-year (1 January or 1 July)", from.Format(time.DateOnly))
		}
		if _, dup := table[from]; dup {
			return nil, fmt.Errorf("two rates for the half-year from %s", from.Format(time.DateOnly))
		}
		if r.Percent.IsNegative() {
			return nil, fmt.Errorf("the rate from %s is negative", from.Format(time.DateOnly))
		}
		table[from] = r.Percent
	}
	return table, nil
}

// owedOn is the amount owed on day: the last step on or before it.
func owedOn(steps []Step, day time.Time) decimal.Decimal {
	owed := decimal.Zero
	for _, s := range steps {
		if s.From.After(day) {
			break
		}
		owed = s.Owed
	}
	return owed
}

// nextChange is the first step after day.
func nextChange(steps []Step, day time.Time) (time.Time, bool) {
	for _, s := range steps {
		if s.From.After(day) {
			return s.From, true
		}
	}
	return time.Time{}, false
}

// HalfYearStart is the first day of the half-year day falls in.
func HalfYearStart(day time.Time) time.Time { return halfYearStart(civil(day)) }

func halfYearStart(day time.Time) time.Time {
	month := time.January
	if day.Month() >= time.July {
		month = time.July
	}
	return time.Date(day.Year(), month, 1, 0, 0, 0, 0, time.UTC)
}

// civil is t's calendar day at UTC midnight, as PocketBase stores dates.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func daysBetween(a, b time.Time) int { return int(b.Sub(a) / oneDayDur) }

func minDay(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
