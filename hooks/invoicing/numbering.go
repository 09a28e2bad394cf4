package invoicing

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"facturo/internal/huella"
)

// nextNumber takes the next number of a series for the year of issueDate,
// e.g. A-2026-000123. It must run inside the issuing transaction: the
// counter row is updated there, so a failed issue gives its number back and
// concurrent issues queue on SQLite's single writer.
func nextNumber(tx core.App, series string, issueDate time.Time) (string, error) {
	year := issueDate.Year()
	counter := &core.Record{}
	err := tx.RecordQuery(SeriesCounters).AndWhere(dbx.HashExp{"series": series, "year": year}).Limit(1).One(counter)
	if errors.Is(err, sql.ErrNoRows) {
		col, cerr := tx.FindCachedCollectionByNameOrId(SeriesCounters)
		if cerr != nil {
			return "", cerr
		}
		counter = core.NewRecord(col)
		counter.Set("series", series)
		counter.Set("year", year)
	} else if err != nil {
		return "", err
	}

	// Numbers must follow dates within a series: an invoice dated before the
	// last one issued would get a later number with an earlier date.
	if last := counter.GetDateTime("last_issue_date"); !last.IsZero() && issueDate.Before(civilDate(last.Time())) {
		return "", apis.NewBadRequestError(fmt.Sprintf(
			"Series %s already has an invoice dated %s; a new invoice of %d cannot be dated earlier.",
			series, huella.FormatDate(last.Time()), year),
			validation.Errors{"issue_date": validation.NewError("validation_before_last", "is before the series' last issued invoice")})
	}

	next := counter.GetInt("last") + 1
	counter.Set("last", next)
	counter.Set("last_issue_date", dateTime(issueDate))
	if err := saveAsSystem(tx, counter); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s-%d-%06d", series, year, next), nil
}

// SeriesLastDate is the issue date of the last invoice numbered in a
// series and year, or zero when it has none: a new invoice of that year
// cannot be dated before it.
func SeriesLastDate(app core.App, series string, year int) (time.Time, error) {
	counter := &core.Record{}
	err := app.RecordQuery(SeriesCounters).AndWhere(dbx.HashExp{"series": series, "year": year}).Limit(1).One(counter)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	last := counter.GetDateTime("last_issue_date")
	if last.IsZero() {
		return time.Time{}, nil
	}
	return civilDate(last.Time()), nil
}
