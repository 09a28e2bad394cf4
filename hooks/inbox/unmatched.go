package inbox

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Unmatched is the mail that could not be tied to an invoice, newest first,
// for staff to look at.
func Unmatched(app core.App, limit, offset int) ([]*core.Record, error) {
	return app.FindRecordsByFilter(Inbound, "matched = false", "-created", limit, offset)
}

// CountUnmatched counts the mail waiting in the unmatched list.
func CountUnmatched(app core.App) (int, error) {
	var n int
	err := app.DB().Select("COUNT(*)").From(Inbound).Where(dbx.HashExp{"matched": false}).Row(&n)
	return n, err
}
