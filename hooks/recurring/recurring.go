// Package recurring makes invoices by themselves: a recurring invoice is a
// template (a customer, lines, a series, notes) and a schedule, and every
// day, with the reminders (at the policy's hour, Madrid), each period due
// becomes a draft, an issued invoice, or an issued and e-mailed one. After
// downtime each missed period is made once, in date order; a period is
// never made twice, whatever restarts or runs again: its row in
// recurring_periods is written in the transaction that makes its invoice.
package recurring

import (
	"errors"
	"strings"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"facturo/hooks/invoicing"
	"facturo/internal/plaintext"
	"facturo/internal/taxes"
)

// Collections this package owns.
const (
	Collection = "recurring_invoices"
	Periods    = "recurring_periods"
	Settings   = "recurring_settings"
)

// What a recurring invoice does on its day.
const (
	ActionDraft     = "draft"
	ActionIssue     = "issue"
	ActionIssueSend = "issue_send"
)

// Actions lists them, in the order forms offer them.
var Actions = []string{ActionDraft, ActionIssue, ActionIssueSend}

// cronJob is the scheduler's job: it wakes every hour, as the reminders'
// does, and runs once a day at the reminders' hour.
const cronJob = "recurring"

// actorEmail names the runs on the invoices' timelines.
const actorEmail = "recurring"

// Register binds the daily run, the command's app and the checks of a
// recurring invoice saved through any door.
func Register(app core.App) {
	app.Cron().MustAdd(cronJob, "0 * * * *", func() {
		made, ran, err := RunScheduled(app)
		switch {
		case err != nil:
			app.Logger().Error("recurring: the daily run failed", "error", err)
		case ran:
			app.Logger().Info("recurring: the daily run is done", "invoices", len(made))
		}
	})
	app.OnRecordValidate(Collection).BindFunc(validateTemplate)
}

// ScheduleOf reads a recurring invoice's schedule.
func ScheduleOf(r *core.Record) Schedule {
	return Schedule{Start: day(r.GetDateTime("start_date")), Interval: r.GetString("interval"), Every: max(r.GetInt("every"), 1)}
}

func day(dt types.DateTime) time.Time {
	if dt.IsZero() {
		return time.Time{}
	}
	y, m, d := dt.Time().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// validateTemplate checks a recurring invoice and keeps its next period in
// step with its schedule: on creation the start; when the schedule
// changes, the first period day after the last one billed; none once its
// end or its count is reached.
func validateTemplate(e *core.RecordEvent) error {
	r := e.Record
	errs := validation.Errors{}
	for _, f := range []string{"name", "notes", "series"} {
		if problem := plaintext.Problem(r.GetString(f), f == "notes"); problem != "" {
			errs[f] = validation.NewError("validation_text", problem)
		}
	}
	raw := strings.TrimSpace(r.GetString("lines"))
	if raw == "" || raw == "null" || raw == "[]" {
		errs["lines"] = validation.NewError("validation_required", "add at least one line")
	} else if lines, err := taxes.ParseLines([]byte(raw)); err != nil {
		errs["lines"] = validation.NewError("validation_invalid_lines", err.Error())
	} else {
		canonical, _ := taxes.MarshalLines(lines)
		r.Set("lines", string(canonical))
	}
	if r.GetInt("every") < 1 {
		r.Set("every", 1)
	}
	s := ScheduleOf(r)
	if !s.Start.IsZero() && s.Start.Year() < 2000 {
		errs["start_date"] = validation.NewError("validation_start_date", "must be in 2000 or later")
	}
	if end := day(r.GetDateTime("end_date")); !end.IsZero() && !s.Start.IsZero() && end.Before(s.Start) {
		errs["end_date"] = validation.NewError("validation_before_start", "is before the start date")
	}
	if len(errs) > 0 {
		return errs
	}
	if !s.Start.IsZero() {
		if err := keepNextPeriod(e.App, r, s); err != nil {
			return err
		}
	}
	return e.Next()
}

// keepNextPeriod sets next_date for a new or rescheduled template, and
// ends it once its end or count is reached.
func keepNextPeriod(app core.App, r *core.Record, s Schedule) error {
	rescheduled := r.IsNew()
	if !r.IsNew() {
		o := r.Original()
		rescheduled = !day(o.GetDateTime("start_date")).Equal(s.Start) || o.GetString("interval") != s.Interval || o.GetInt("every") != s.Every
	}
	if rescheduled {
		next := s.Start
		if !r.IsNew() {
			last, err := lastPeriod(app, r.Id)
			if err != nil {
				return err
			}
			if !last.IsZero() && !next.After(last) {
				next = s.After(last)
			}
		}
		r.Set("next_date", next)
	}
	next := day(r.GetDateTime("next_date"))
	if !next.IsZero() && ended(r, next) {
		r.Set("next_date", "")
	}
	return nil
}

// ended tells whether a template makes no period on day: past its end
// date, or its count made.
func ended(r *core.Record, next time.Time) bool {
	if end := day(r.GetDateTime("end_date")); !end.IsZero() && next.After(end) {
		return true
	}
	return r.GetInt("count") > 0 && r.GetInt("made") >= r.GetInt("count")
}

// lastPeriod is the last period billed of a template, or zero.
func lastPeriod(app core.App, id string) (time.Time, error) {
	var last string
	err := app.DB().Select("COALESCE(MAX(period), '')").From(Periods).Where(dbxHash("recurring", id)).Row(&last)
	if err != nil || last == "" {
		return time.Time{}, err
	}
	return time.Parse(time.DateOnly, last)
}

// errRollback ends a dry run's transaction.
var errRollback = errors.New("dry run: rolled back")

// actor is who the runs are on the timelines.
var actor = invoicing.Actor{Email: actorEmail}
