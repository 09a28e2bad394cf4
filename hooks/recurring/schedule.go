package recurring

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"facturo/ui"
)

// Intervals a recurring invoice repeats at.
const (
	Monthly   = "monthly"
	Quarterly = "quarterly"
	Yearly    = "yearly"
	EveryDays = "days"
	Months    = "months"
)

// Intervals lists them, in the order forms offer them.
var Intervals = []string{Monthly, Quarterly, Yearly, Months, EveryDays}

// Schedule is when a recurring invoice's periods fall: the first on Start,
// then one every interval (every Every days or months for those).
type Schedule struct {
	Start    time.Time
	Interval string
	Every    int
}

// Day is the day of period k (the first is 0). Months are counted from
// the start's day, so that a schedule starting on the 31st falls on each
// month's last day and comes back to the 31st.
func (s Schedule) Day(k int) time.Time {
	every := max(s.Every, 1)
	switch s.Interval {
	case EveryDays:
		return s.Start.AddDate(0, 0, every*k)
	case Quarterly:
		return addMonths(s.Start, 3*k)
	case Yearly:
		return addMonths(s.Start, 12*k)
	case Months:
		return addMonths(s.Start, every*k)
	default:
		return addMonths(s.Start, k)
	}
}

// After is the first period day after day.
func (s Schedule) After(day time.Time) time.Time {
	k := s.indexAtOrBefore(day)
	for !s.Day(k).After(day) {
		k++
	}
	return s.Day(k)
}

// indexAtOrBefore is a period index whose day is not after day, close to
// it: found by the interval's length, so that a long schedule is not
// walked from its start.
func (s Schedule) indexAtOrBefore(day time.Time) int {
	if !day.After(s.Start) {
		return 0
	}
	every := max(s.Every, 1)
	var k int
	switch s.Interval {
	case EveryDays:
		k = int(day.Sub(s.Start).Hours()/24) / every
	default:
		months := (day.Year()-s.Start.Year())*12 + int(day.Month()) - int(s.Start.Month())
		k = months / s.monthsPer()
	}
	for k > 0 && s.Day(k).After(day) {
		k--
	}
	return k
}

// monthsPer is how many months one period lasts.
func (s Schedule) monthsPer() int {
	switch s.Interval {
	case Quarterly:
		return 3
	case Yearly:
		return 12
	case Months:
		return max(s.Every, 1)
	default:
		return 1
	}
}

// End is the last day of the period that starts on day: the day before
// the next one.
func (s Schedule) End(day time.Time) time.Time {
	return s.After(day).AddDate(0, 0, -1)
}

// addMonths moves t by n months, keeping its day or, in a shorter month,
// the month's last day.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), 0, 0, 0, 0, time.UTC)
}

// Placeholders write the period a text speaks of, in lang: {month} (the
// period day's month), {year} and {period} (the whole period, as the
// interval names it: «marzo de 2026», «1.er trimestre de 2026», «2026»,
// «marzo–mayo de 2026», «01/03/2026–14/03/2026»).
func (s Schedule) Placeholders(lang string, day time.Time) *strings.Replacer {
	return strings.NewReplacer("{month}", monthName(lang, day.Month()), "{year}", strconv.Itoa(day.Year()), "{period}", s.periodName(lang, day))
}

func monthName(lang string, m time.Month) string {
	return ui.T(lang, fmt.Sprintf("month.%d", int(m)))
}

func (s Schedule) periodName(lang string, day time.Time) string {
	year := strconv.Itoa(day.Year())
	monthYear := func(t time.Time) string {
		return strings.NewReplacer("{month}", monthName(lang, t.Month()), "{year}", strconv.Itoa(t.Year())).Replace(ui.T(lang, "recurring.period.month"))
	}
	switch s.Interval {
	case Yearly:
		return year
	case Quarterly:
		q := (int(day.Month())-1)/3 + 1
		// A quarter is named by the calendar quarter the period starts in.
		return strings.NewReplacer("{year}", year).Replace(ui.T(lang, fmt.Sprintf("recurring.period.quarter.%d", q)))
	case Months:
		if max(s.Every, 1) == 1 {
			return monthYear(day)
		}
		end := s.End(day)
		if end.Year() == day.Year() {
			return strings.NewReplacer("{from}", monthName(lang, day.Month()), "{to}", monthName(lang, end.Month()), "{year}", year).
				Replace(ui.T(lang, "recurring.period.months"))
		}
		return monthYear(day) + "–" + monthYear(end)
	case EveryDays:
		return ui.FormatDate(lang, day) + "–" + ui.FormatDate(lang, s.End(day))
	default:
		return monthYear(day)
	}
}
