package apptest

import (
	"fmt"
	"os"
	"time"

	"facturo/internal/clock"
)

// TodayEnv names the variable that runs the test world on another day:
// FACTURO_TEST_TODAY=2027-12-04 moves the product's clock (internal/clock)
// there for the whole test process, the time of day still running. Tests
// take every date from the world's clock (Today, clock.Now), never from a
// calendar day written in the test, so the suite passes on any day; a test
// of the root package runs the date-sensitive packages a year ahead.
const TodayEnv = "FACTURO_TEST_TODAY"

func init() {
	day := os.Getenv(TodayEnv)
	if day == "" {
		return
	}
	want, err := time.ParseInLocation(time.DateOnly, day, clock.Zone)
	if err != nil {
		panic(fmt.Sprintf("%s=%q: write a day such as 2027-12-04", TodayEnv, day))
	}
	// Whole days only: the world's day changes, its hour does not.
	y, m, d := time.Now().In(clock.Zone).Date()
	offset := want.Sub(time.Date(y, m, d, 0, 0, 0, 0, clock.Zone))
	clock.Set(func() time.Time { return time.Now().Add(offset) })
}

// Today is the test world's calendar day (in the firm's zone, at UTC
// midnight, as date fields are stored).
func Today() time.Time { return clock.Today() }

// Day is the world's day moved by days (negative: before today).
func Day(days int) time.Time { return clock.Today().AddDate(0, 0, days) }

// Date writes the world's day moved by days as YYYY-MM-DD, for request bodies
// and date fields.
func Date(days int) string { return Day(days).Format(time.DateOnly) }
