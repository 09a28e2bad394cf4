package invoicing

import (
	"time"

	"github.com/pocketbase/pocketbase/tools/types"
)

// civilDate is a date field's calendar day, at UTC midnight as PocketBase
// stores dates.
func civilDate(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func dateTime(t time.Time) types.DateTime {
	dt, _ := types.ParseDateTime(t)
	return dt
}
