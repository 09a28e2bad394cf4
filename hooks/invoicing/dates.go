package invoicing

import (
	"time"

	"github.com/pocketbase/pocketbase/tools/types"

	"facturo/internal/huella"
)

// now is the package's clock: issue times, event times and state times all
// come from it.
var now = time.Now

// SetClock replaces the package's clock and returns a function that puts the
// real one back. It exists to seed a history (demo data, tests); it must not
// be called while requests are being served.
func SetClock(clock func() time.Time) (restore func()) {
	previous := now
	now = clock
	return func() { now = previous }
}

// civilDate is a date field's calendar day, at UTC midnight as PocketBase
// stores dates.
func civilDate(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// today is the current calendar day in Spain.
func today() time.Time {
	y, m, d := now().In(huella.Madrid).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func dateTime(t time.Time) types.DateTime {
	dt, _ := types.ParseDateTime(t)
	return dt
}
