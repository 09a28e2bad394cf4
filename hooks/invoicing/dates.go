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

// endOfDate is the last instant of t's calendar day as a date field stores
// it, for inclusive "up to" filters: comparing with the next day's start
// would break on 9999-12-31, whose next day PocketBase's format cannot
// write in order.
func endOfDate(t time.Time) string {
	return civilDate(t).Format(time.DateOnly) + " 23:59:59.999Z"
}
