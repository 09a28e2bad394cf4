package recurring

import (
	"errors"
	"facturo/internal/money"
	"facturo/ui"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/remind"
	"facturo/internal/clock"
	"facturo/internal/taxes"
)

// Made is one invoice a run made, or with a dry run would make: the JSON
// line the command prints.
type Made struct {
	Recurring string `json:"recurring"`
	Customer  string `json:"customer"`
	Period    string `json:"period"`  // the period's day, YYYY-MM-DD
	Invoice   string `json:"invoice"` // "" in a dry run, or when it failed
	Number    string `json:"number"`  // "" for a draft
	Action    string `json:"action"`  // draft, issue, issue_send; failed when it could not be made
	IssueDate string `json:"issue_date"`
	// Note says why the invoice is not dated on its period's day.
	Note  string `json:"note,omitempty"`
	Error string `json:"error,omitempty"`
}

func dbxHash(field, value string) dbx.Expression { return dbx.HashExp{field: value} }

// due is one period of one template to make.
type due struct {
	template *core.Record
	period   time.Time
}

// Run makes every period due on the day at (today, or the day a command
// or test asks for): for each active recurring invoice, each period whose
// day has come and that was not made, in the order of the periods' days
// (so that numbers follow dates across templates), each in its own
// transaction with its row in recurring_periods. An invoice is dated on
// its period's day, unless its series already has a later invoice of that
// year: then on the day of the run, with its period as the operation date,
// and a note saying so. A template whose period fails keeps it for the
// next run, with why in last_error. A dry run does all of it in one
// transaction that it rolls back: what it prints is what a run would do.
func Run(app core.App, at time.Time, dryRun bool) ([]Made, error) {
	at = clock.Day(at)
	var made []Made
	work := func(app core.App) error {
		queue, err := dueOn(app, at)
		if err != nil {
			return err
		}
		failed := map[string]bool{}
		for _, d := range queue {
			if failed[d.template.Id] {
				continue
			}
			m, err := makePeriod(app, d, at)
			if err != nil {
				var refused *periodError
				if !errors.As(err, &refused) {
					return err
				}
				failed[d.template.Id] = true
				m = Made{Recurring: d.template.Id, Customer: d.template.GetString("customer"), Period: d.period.Format(time.DateOnly),
					Action: "failed", Error: refused.Error()}
				if !dryRun {
					noteFailure(app, d.template.Id, m.Period+": "+refused.Error())
				}
			}
			if dryRun {
				m.Invoice = ""
			}
			made = append(made, m)
		}
		return nil
	}
	if !dryRun {
		return made, work(app)
	}
	err := app.RunInTransaction(func(tx core.App) error {
		if err := work(tx); err != nil {
			return err
		}
		return errRollback
	})
	if errors.Is(err, errRollback) {
		err = nil
	}
	return made, err
}

// dueOn lists the periods due on day, in the order of their days.
func dueOn(app core.App, day time.Time) ([]due, error) {
	templates, err := app.FindRecordsByFilter(Collection, "active = true && next_date != '' && next_date <= {:day}", "next_date", 0, 0,
		dbx.Params{"day": day.Format(time.DateOnly) + " 23:59:59.999Z"})
	if err != nil {
		return nil, err
	}
	var queue []due
	for _, t := range templates {
		s := ScheduleOf(t)
		made := t.GetInt("made")
		for p := dayOf(t, "next_date"); !p.IsZero() && !p.After(day); p = s.After(p) {
			if end := dayOf(t, "end_date"); !end.IsZero() && p.After(end) {
				break
			}
			if count := t.GetInt("count"); count > 0 && made >= count {
				break
			}
			queue = append(queue, due{template: t, period: p})
			made++
		}
	}
	slices.SortStableFunc(queue, func(a, b due) int {
		if c := a.period.Compare(b.period); c != 0 {
			return c
		}
		return strings.Compare(a.template.GetString("created"), b.template.GetString("created"))
	})
	return queue, nil
}

func dayOf(r *core.Record, field string) time.Time { return day(r.GetDateTime(field)) }

// periodError is a period that could not be made: the store refused the
// invoice (its lines, its customer), or issuing it (the firm's profile,
// the e-invoice format, the series' dates).
type periodError struct{ err error }

func (e *periodError) Error() string { return e.err.Error() }
func (e *periodError) Unwrap() error { return e.err }

// makePeriod makes one period's invoice, its row and the template's next
// period in one transaction.
func makePeriod(app core.App, d due, runDay time.Time) (Made, error) {
	period := d.period.Format(time.DateOnly)
	m := Made{Recurring: d.template.Id, Customer: d.template.GetString("customer"), Period: period}
	err := app.RunInTransaction(func(tx core.App) error {
		t, err := tx.FindRecordById(Collection, d.template.Id)
		if err != nil {
			return err
		}
		m.Action = t.GetString("action")
		already, err := tx.CountRecords(Periods, dbx.HashExp{"recurring": t.Id, "period": period})
		if err != nil {
			return err
		}
		if already > 0 {
			// Made by an earlier run that stopped before moving the
			// template on: move it on now, make nothing.
			m.Action = "already_made"
			return advance(tx, t, d.period)
		}
		customer, err := tx.FindRecordById(invoicing.Customers, t.GetString("customer"))
		if err != nil {
			return &periodError{err: fmt.Errorf("the customer: %w", err)}
		}
		if customer.GetBool("archived") {
			// The firm archived the customer: nothing more is billed to it
			// until it is brought back or the template is paused.
			return &periodError{err: errors.New("the customer " + customer.GetString("name") + " is archived")}
		}
		lang := ui.Pick(customer.GetString("language"))
		issueDate, note, err := dateFor(tx, t, d.period, runDay)
		if err != nil {
			return err
		}
		m.IssueDate, m.Note = issueDate.Format(time.DateOnly), note
		inv, err := draftFor(tx, t, d.period, issueDate, lang)
		if err != nil {
			return &periodError{err: err}
		}
		col, err := tx.FindCachedCollectionByNameOrId(Periods)
		if err != nil {
			return err
		}
		row := core.NewRecord(col)
		row.Load(map[string]any{"recurring": t.Id, "period": period, "invoice": inv.Id, "issue_date": issueDate, "action": m.Action, "note": note})
		if err := tx.Save(row); err != nil {
			return err
		}
		switch m.Action {
		case ActionIssue:
			inv, err = invoicing.IssueRecord(tx, inv.Id, actor)
		case ActionIssueSend:
			inv, err = invoicing.IssueRecordAndSend(tx, inv.Id, actor)
		}
		if err != nil {
			return &periodError{err: err}
		}
		m.Invoice, m.Number = inv.Id, inv.GetString("number")
		t.Set("made", t.GetInt("made")+1)
		t.Set("last_error", "")
		return advance(tx, t, d.period)
	})
	return m, err
}

// advance moves a template past a period made.
func advance(tx core.App, t *core.Record, period time.Time) error {
	next := ScheduleOf(t).After(period)
	t.Set("next_date", next)
	if ended(t, next) {
		t.Set("next_date", "")
	}
	return tx.Save(t)
}

// dateFor is the day a period's invoice is dated: the period's own day,
// unless the series already has a later invoice that year (numbers follow
// dates within a series), then the run's day, which the note says.
func dateFor(tx core.App, t *core.Record, period, runDay time.Time) (time.Time, string, error) {
	series := t.GetString("series")
	if series == "" {
		issuer, err := invoicing.LoadIssuer(tx)
		if err != nil {
			return time.Time{}, "", err
		}
		series = issuer.GetString("default_series")
	}
	last, err := invoicing.SeriesLastDate(tx, series, period.Year())
	if err != nil {
		return time.Time{}, "", err
	}
	if last.IsZero() || !last.After(period) {
		return period, "", nil
	}
	return runDay, fmt.Sprintf("dated %s, the day of the run: series %s already has an invoice dated %s, after the period's day %s",
		runDay.Format(time.DateOnly), series, last.Format(time.DateOnly), period.Format(time.DateOnly)), nil
}

// draftFor saves a period's draft: the template's lines and notes with
// their placeholders written for the period in the customer's language.
func draftFor(tx core.App, t *core.Record, period, issueDate time.Time, lang string) (*core.Record, error) {
	replace := ScheduleOf(t).Placeholders(lang, period)
	lines, err := taxes.ParseLines([]byte(t.GetString("lines")))
	if err != nil {
		return nil, err
	}
	for i := range lines {
		lines[i].Description = replace.Replace(lines[i].Description)
	}
	raw, err := taxes.MarshalLines(lines)
	if err != nil {
		return nil, err
	}
	col, err := tx.FindCachedCollectionByNameOrId(invoicing.Invoices)
	if err != nil {
		return nil, err
	}
	inv := core.NewRecord(col)
	inv.Load(map[string]any{
		"customer": t.GetString("customer"), "series": t.GetString("series"), "issue_date": issueDate,
		"lines": string(raw), "notes": replace.Replace(t.GetString("notes")), "currency": money.Currency,
	})
	if !issueDate.Equal(period) {
		inv.Set("operation_date", period)
	}
	if err := tx.Save(inv); err != nil {
		return nil, err
	}
	return inv, nil
}

// noteFailure records why a template's period could not be made, where
// staff see it; the period stays due.
func noteFailure(app core.App, id, why string) {
	t, err := app.FindRecordById(Collection, id)
	if err != nil {
		return
	}
	if len(why) > 2000 {
		why = why[:2000]
	}
	t.Set("last_error", why)
	if err := app.Save(t); err != nil {
		app.Logger().Error("recurring: noting a failure", "template", id, "error", err)
	}
}

// RunScheduled runs today's periods when the reminders' hour (Madrid) has
// come and today's run has not happened yet; it reports whether it ran.
// The day and what it did are recorded in recurring_settings.
func RunScheduled(app core.App) ([]Made, bool, error) {
	settings := &core.Record{}
	if err := app.RecordQuery(Settings).Limit(1).One(settings); err != nil {
		return nil, false, errors.New("the recurring settings are missing; the migrations create them")
	}
	today, isDue, err := remind.DailyRunDue(app, settings.GetString("last_run_on"))
	if err != nil || !isDue {
		return nil, false, err
	}
	made, err := Run(app, today, false)
	status := summary(today, made)
	if err != nil {
		status = fmt.Sprintf("%s: the run stopped, it is tried again in an hour: %v", today.Format(time.DateOnly), err)
	} else {
		settings.Set("last_run_on", today.Format(time.DateOnly))
	}
	settings.Set("status", status)
	if saveErr := app.Save(settings); saveErr != nil && err == nil {
		err = saveErr
	}
	return made, err == nil, err
}

// summary says in a line what a run did.
func summary(day time.Time, made []Made) string {
	counts := map[string]int{}
	for _, m := range made {
		counts[m.Action]++
	}
	return fmt.Sprintf("%s: %d drafts, %d issued, %d issued and sent, %d failed", day.Format(time.DateOnly),
		counts[ActionDraft], counts[ActionIssue], counts[ActionIssueSend], counts["failed"])
}
