// Package clock is the firm's time: the one clock from which the product
// takes every moment it records or compares (issue times, event times, the
// reminders' day, figures "as of today"), and the firm's time zone, Spain's
// peninsular time, in which calendar days begin and end and moments are
// shown to people.
//
// Infrastructure timing (retries, timeouts, rate limits) keeps time.Now: it
// measures durations, not the firm's calendar.
package clock

import (
	"sync/atomic"
	"time"

	_ "time/tzdata" // Madrid's offsets must be known on hosts without a zoneinfo database.
)

// Zone is the firm's time zone.
var Zone = mustLoadLocation("Europe/Madrid")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// current holds the clock; an atomic pointer, so that a test or the demo
// seed may set it while background workers read it.
var current atomic.Pointer[func() time.Time]

// Now is the current moment by the product's clock.
func Now() time.Time {
	if f := current.Load(); f != nil {
		return (*f)()
	}
	return time.Now()
}

// Set replaces the clock and returns a function that puts the previous one
// back. It exists to seed a history (demo data) and for tests, which run the
// product at a day of their choosing.
func Set(f func() time.Time) (restore func()) {
	previous := current.Swap(&f)
	return func() { current.Store(previous) }
}

// Today is the current calendar day in the firm's zone, at UTC midnight as
// PocketBase stores date fields.
func Today() time.Time {
	return Day(Now())
}

// Day is the calendar day in the firm's zone of a moment, at UTC midnight.
func Day(t time.Time) time.Time {
	y, m, d := t.In(Zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
