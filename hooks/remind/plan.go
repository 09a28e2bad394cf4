package remind

import (
	"database/sql"
	"facturo/internal/money"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
	"facturo/hooks/invoicing/interest"
)

// Planned is one reminder a run would send: an invoice and the level it
// gets.
type Planned struct {
	Invoice      string `json:"invoice"`
	Number       string `json:"number"`
	Customer     string `json:"customer"`
	Level        int    `json:"level"` // the level's days after the due date
	LevelName    string `json:"level_name"`
	DaysFromDue  int    `json:"days_from_due"`
	Interest     string `json:"interest"`
	Compensation string `json:"compensation"`
	// InterestNote says why the interest is not known (a half-year missing
	// from the rates table; Interest is empty then); the reminder goes
	// without an interest figure, the compensation still owed.
	InterestNote string `json:"interest_note,omitempty"`
	// Skipped are the lower levels never sent that this one supersedes;
	// the run marks them so that they are never sent later.
	Skipped []int `json:"skipped,omitempty"`

	level         *Level
	issueDate     time.Time
	dueDate       time.Time
	owed          decimal.Decimal
	interest      decimal.Decimal
	compensation  decimal.Decimal
	interestKnown bool
	currency      string
	sentBefore    int // reminders of this invoice sent before (levels skipped after downtime are not)
}

// openInvoice is what planning reads of an invoice that may be reminded.
type openInvoice struct {
	ID           string          `db:"id"`
	Number       string          `db:"number"`
	Customer     string          `db:"customer"`
	IssueDate    string          `db:"issue_date"`
	DueDate      string          `db:"due_date"`
	Total        float64         `db:"total"`
	PaidTotal    float64         `db:"paid_total"`
	Currency     string          `db:"currency"`
	Reminders    string          `db:"reminders"`
	ReminderDays string          `db:"reminder_days"`
	MaxSent      sql.NullFloat64 `db:"max_sent"`
	SentBefore   int             `db:"sent_before"` // levels actually sent, not skipped
}

// openInvoicesQuery reads the invoices that may be reminded, due before a
// day, with the highest level recorded for each. An invoice the customer
// rejected or queried waits for the firm's answer (as the statement of
// account does). The open invoices' index
// by due date (idx_invoices_open_due) serves it: its condition is repeated
// word for word so that SQLite can use it.
const openInvoicesQuery = `
		SELECT i.id, i.number, i.customer, i.issue_date, i.due_date, i.total, i.paid_total, i.currency,
			c.reminders, COALESCE(c.reminder_days, '') AS reminder_days,
			(SELECT MAX(r.level) FROM reminders_sent r WHERE r.invoice = i.id) AS max_sent,
			(SELECT COUNT(*) FROM reminders_sent r WHERE r.invoice = i.id AND r.status = 'sent') AS sent_before
		FROM invoices i
		JOIN customers c ON c.id = i.customer
		WHERE i.status != 'draft' AND i.payment != 'paid'
			AND i.due_date != '' AND i.due_date < {:before}
			AND i.status = 'issued' AND i.total > 0 AND i.total > i.paid_total
			AND NOT ` + invoicing.AwaitingAnswerSQL + `
			AND c.email_bouncing = FALSE AND c.email != '' AND c.reminders != 'off'
		ORDER BY i.due_date, i.number`

// ExplainPlanQuery is SQLite's plan of the planning query, one step a
// line, for checking that it walks the index of open invoices.
func ExplainPlanQuery(app core.App) (string, error) {
	var steps []struct {
		Detail string `db:"detail"`
	}
	err := app.DB().NewQuery("EXPLAIN QUERY PLAN " + openInvoicesQuery).Bind(dbx.Params{"before": "2026-01-01"}).All(&steps)
	var b strings.Builder
	for _, s := range steps {
		b.WriteString(s.Detail + "\n")
	}
	return b.String(), err
}

// Plan lists the reminders a run on the day at (a calendar day, as Day
// gives) would send, by due date: for each invoice still owed, not
// disputed, whose customer wants reminders and has a working address, the
// highest level of its schedule now due, when no level as high was
// recorded before. It writes nothing.
func Plan(app core.App, at time.Time) ([]Planned, error) {
	levels, err := LoadLevels(app)
	if err != nil {
		return nil, err
	}
	if len(levels) == 0 {
		return nil, nil
	}
	at = time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)

	// The earliest day any schedule starts bounds the due dates to read.
	earliest := levels[0].Days
	var customDays []string
	if err := app.DB().NewQuery("SELECT COALESCE(reminder_days, '') FROM customers WHERE reminders = 'custom'").Column(&customDays); err != nil {
		return nil, err
	}
	for _, raw := range customDays {
		days, _ := parseCustomDays(raw)
		for _, d := range days {
			earliest = min(earliest, d)
		}
	}
	latestDue := at.AddDate(0, 0, -earliest)

	var rows []openInvoice
	err = app.DB().NewQuery(openInvoicesQuery).
		Bind(dbx.Params{"before": latestDue.AddDate(0, 0, 1).Format(time.DateOnly)}).
		All(&rows)
	if err != nil {
		return nil, err
	}

	invoices, err := app.FindCachedCollectionByNameOrId(invoicing.Invoices)
	if err != nil {
		return nil, err
	}
	rates, err := interest.LoadRates(app)
	if err != nil {
		return nil, err
	}
	standard := defaultSchedule(levels)
	custom := map[string]schedule{}
	var planned []Planned
	for _, row := range rows {
		sched := standard
		if row.Reminders == CustomerCustom {
			s, ok := custom[row.ReminderDays]
			if !ok {
				days, err := parseCustomDays(row.ReminderDays)
				if err != nil {
					return nil, fmt.Errorf("customer %s: reminder_days %w", row.Customer, err)
				}
				s = customSchedule(levels, days)
				custom[row.ReminderDays] = s
			}
			sched = s
		}
		due, err := time.Parse(time.DateOnly, row.DueDate[:min(10, len(row.DueDate))])
		if err != nil {
			return nil, fmt.Errorf("invoice %s: due_date %q: %w", row.Number, row.DueDate, err)
		}
		fromDue := int(at.Sub(due).Hours() / 24)
		p, ok := plan(sched, fromDue, row.MaxSent)
		if !ok {
			continue
		}
		p.Invoice, p.Number, p.Customer, p.DaysFromDue = row.ID, row.Number, row.Customer, fromDue
		p.dueDate = due
		p.issueDate, _ = time.Parse(time.DateOnly, row.IssueDate[:min(10, len(row.IssueDate))])
		p.currency = row.Currency
		p.sentBefore = row.SentBefore
		p.owed = money.FromStored(row.Total).Sub(money.FromStored(row.PaidTotal)).Round(2)
		if p.interest, p.compensation, p.interestKnown, p.InterestNote, err = lateInterest(app, invoices, rates, row, at); err != nil {
			return nil, fmt.Errorf("invoice %s: interest: %w", row.Number, err)
		}
		p.Interest, p.Compensation = p.interest.StringFixed(2), p.compensation.StringFixed(2)
		if !p.interestKnown {
			p.Interest = "" // not known: never shown as 0.00
		}
		planned = append(planned, p)
	}
	return planned, nil
}

// plan picks, from a schedule, the step due fromDue days after the due
// date: the highest one reached, when it is above every level recorded
// before (maxSent); the steps between are skipped.
func plan(sched schedule, fromDue int, maxSent sql.NullFloat64) (Planned, bool) {
	recorded := math.Inf(-1)
	if maxSent.Valid {
		recorded = maxSent.Float64
	}
	due := -1
	for i, s := range sched {
		if s.days <= fromDue {
			due = i
		}
	}
	if due < 0 || float64(sched[due].days) <= recorded {
		return Planned{}, false
	}
	p := Planned{Level: sched[due].days, LevelName: sched[due].level.Name, level: sched[due].level}
	for _, s := range sched[:due] {
		if float64(s.days) > recorded {
			p.Skipped = append(p.Skipped, s.days)
		}
	}
	return p, true
}
