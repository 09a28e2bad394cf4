package invoicing

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Debtor is a customer with what it owes the firm.
type Debtor struct {
	ID      string  `db:"id"`
	Name    string  `db:"name"`
	Owed    float64 `db:"owed"`
	Overdue float64 `db:"overdue"`
	Open    int     `db:"open"` // invoices not fully paid
}

// TopDebtors are the n customers that owe the most, largest first.
func TopDebtors(app core.App, n int, today time.Time) ([]Debtor, error) {
	var out []Debtor
	err := app.DB().NewQuery(`SELECT c.id, c.name, d.owed, d.overdue, d.open FROM (
			SELECT customer, SUM(total - paid_total) AS owed,
				COALESCE(SUM(CASE WHEN due_date < {:today} THEN total - paid_total END), 0) AS overdue, COUNT(*) AS open
			FROM invoices WHERE status = 'issued' AND total > paid_total GROUP BY customer
		) d JOIN customers c ON c.id = d.customer ORDER BY d.owed DESC, c.name LIMIT {:n}`).
		Bind(dbx.Params{"today": dateTime(civilDate(today)).String(), "n": n}).All(&out)
	return out, err
}

// Funnel counts how far invoices got with their customers. Each stage
// counts the invoices that reached it or any later one: an invoice someone
// viewed was delivered even when no report said so. Opened comes from the
// tracking pixel, a weak signal that many mail programs block or fake.
type Funnel struct {
	Issued, Sent, Delivered, Opened, Viewed int
	Accepted, Rejected, Queried             int
}

func (f *Funnel) add(g Funnel) {
	f.Issued += g.Issued
	f.Sent += g.Sent
	f.Delivered += g.Delivered
	f.Opened += g.Opened
	f.Viewed += g.Viewed
	f.Accepted += g.Accepted
	f.Rejected += g.Rejected
	f.Queried += g.Queried
}

// Firm is the firm's standing with all its customers, for the staff
// overview.
type Firm struct {
	OpenBalance      float64 // still owed on issued invoices
	Overdue          float64 // of which past its due date
	InvoicedThisYear float64
	Monthly          []MonthTotal // the last 24 months, oldest first
	Ageing           Ageing
	// DaysSalesOutstanding is what is owed over what was invoiced in the
	// last 365 days, times 365; 0 when nothing was invoiced in that year.
	DaysSalesOutstanding float64
	Funnel               Funnel // of the invoices issued in the last 12 months
	// Invoices that need someone to act.
	Bounced, CorrectionAsked, OverdueInvoices int
}

// FirmOverview is the firm's figures as of today. They are computed afresh
// whenever an invoice has changed since they last were (or the day turned),
// and otherwise kept: with 200,000 invoices the computation takes a good
// part of a second, and the overview is the page staff reload all day.
//
// A change is seen two ways: this process counts every invoice it saves
// (after the commit), and the newest "updated" of the invoices shows what
// another process (an import run from the command line) wrote.
func FirmOverview(app core.App, today time.Time) (Firm, error) {
	var newest string
	if err := app.DB().NewQuery("SELECT COALESCE(MAX(updated), '') FROM invoices").Row(&newest); err != nil {
		return Firm{}, err
	}
	key := fmt.Sprint(firmVersion.Load(), "|", newest, "|", civilDate(today).Format(time.DateOnly))
	cache := app.Store().GetOrSet(storeFirmOverview, func() any { return &firmCache{} }).(*firmCache)
	cache.Lock()
	defer cache.Unlock()
	if cache.key != key {
		f, err := computeFirmOverview(app, today)
		if err != nil {
			return f, err
		}
		cache.key, cache.firm = key, f
	}
	f := cache.firm
	f.Monthly = slices.Clone(f.Monthly)
	return f, nil
}

// firmVersion counts the changes to invoices this process committed.
var firmVersion atomic.Int64

func invoicesChanged() { firmVersion.Add(1) }

// bindFirmOverviewCache counts every invoice created, updated or deleted.
func bindFirmOverviewCache(app core.App) {
	bump := func(e *core.RecordEvent) error {
		invoicesChanged()
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(Invoices).BindFunc(bump)
	app.OnRecordAfterUpdateSuccess(Invoices).BindFunc(bump)
	app.OnRecordAfterDeleteSuccess(Invoices).BindFunc(bump)
}

const storeFirmOverview = "facturo.invoicing.firm_overview"

// firmCache is the last firm overview computed, with what it was computed
// from; one per app, kept in the app's store.
type firmCache struct {
	sync.Mutex
	key  string
	firm Firm
}

// computeFirmOverview computes the firm's figures as of today in one pass
// over the invoices, grouped by issue date, which the covering index
// idx_invoices_firm_overview serves in order: a query per figure would read
// the invoices a dozen times.
func computeFirmOverview(app core.App, today time.Time) (Firm, error) {
	day := civilDate(today)
	monthsFrom := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -23, 0)
	yearStart := time.Date(day.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	yearAgo := day.AddDate(-1, 0, 0)
	f := Firm{Monthly: make([]MonthTotal, 24)}
	for i := range f.Monthly {
		f.Monthly[i].Month = monthsFrom.AddDate(0, i, 0)
	}
	// How late an invoice is comes from comparing its due date with the
	// days that bound each age, as text (dates are stored in ISO form):
	// date arithmetic on every row would cost more than the rest together.
	ago := func(days int) string { return day.AddDate(0, 0, -days).Format(time.DateOnly) }
	rows, err := app.DB().NewQuery(`SELECT issue_date,
		COALESCE(SUM(total), 0) AS invoiced,
		COALESCE(SUM(CASE WHEN total > 0 THEN MIN(paid_total, total) END), 0) AS paid,
		COALESCE(SUM(CASE WHEN owed THEN total - paid_total END), 0) AS owed,
		COALESCE(SUM(CASE WHEN owed AND due_date < {:today} THEN total - paid_total END), 0) AS overdue,
		COALESCE(SUM(CASE WHEN owed AND due_date >= {:today} THEN total - paid_total END), 0) AS not_due,
		COALESCE(SUM(CASE WHEN owed AND due_date < {:today} AND due_date >= {:d30} THEN total - paid_total END), 0) AS late30,
		COALESCE(SUM(CASE WHEN owed AND due_date < {:d30} AND due_date >= {:d60} THEN total - paid_total END), 0) AS late60,
		COALESCE(SUM(CASE WHEN owed AND due_date < {:d60} AND due_date >= {:d90} THEN total - paid_total END), 0) AS late90,
		COALESCE(SUM(CASE WHEN owed AND due_date < {:d90} THEN total - paid_total END), 0) AS later,
		COALESCE(SUM(CASE WHEN total > 0 THEN total END), 0) AS sales,
		COALESCE(SUM(owed AND due_date < {:today}), 0) AS overdue_count,
		COALESCE(SUM(status = 'issued' AND delivery IN ('bounced', 'failed')), 0) AS bounced,
		COALESCE(SUM(status = 'issued' AND response = 'rejected' AND response_action NOT IN ('', 'NOA')), 0) AS correction,
		COUNT(*) AS issued,
		COALESCE(SUM(delivery IN ('sent', 'delivered', 'bounced') OR reached), 0) AS sent,
		COALESCE(SUM(delivery = 'delivered' OR reached), 0) AS delivered,
		COALESCE(SUM(reached), 0) AS opened,
		COALESCE(SUM(viewed_at != '' OR response != 'none'), 0) AS viewed,
		COALESCE(SUM(response = 'accepted'), 0) AS accepted,
		COALESCE(SUM(response = 'rejected'), 0) AS rejected,
		COALESCE(SUM(response = 'queried'), 0) AS queried
		FROM (SELECT issue_date, status, due_date, total, paid_total, delivery, response, response_action, viewed_at,
			status = 'issued' AND total > paid_total AS owed,
			opened_at != '' OR viewed_at != '' OR response != 'none' AS reached
			FROM invoices INDEXED BY idx_invoices_firm_overview WHERE status != 'draft')
		GROUP BY issue_date ORDER BY issue_date`).
		Bind(dbx.Params{"today": ago(0), "d30": ago(30), "d60": ago(60), "d90": ago(90)}).Rows()
	if err != nil {
		return f, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			issueDate                                                     string
			invoiced, paid, owed, overdue, notDue, late30, late60, late90 float64
			later, sales                                                  float64
			overdueCount, bounced, correction                             int
			fn                                                            Funnel
		)
		if err := rows.Scan(&issueDate, &invoiced, &paid, &owed, &overdue, &notDue, &late30, &late60, &late90, &later,
			&sales, &overdueCount, &bounced, &correction,
			&fn.Issued, &fn.Sent, &fn.Delivered, &fn.Opened, &fn.Viewed, &fn.Accepted, &fn.Rejected, &fn.Queried); err != nil {
			return f, err
		}
		issued, err := time.Parse(time.DateOnly, issueDate[:min(10, len(issueDate))])
		if err != nil {
			return f, err
		}
		f.OpenBalance += owed
		f.Overdue += overdue
		f.Ageing.NotDue += notDue
		f.Ageing.Days1to30 += late30
		f.Ageing.Days31to60 += late60
		f.Ageing.Days61to90 += late90
		f.Ageing.Over90 += later
		f.OverdueInvoices += overdueCount
		f.Bounced += bounced
		f.CorrectionAsked += correction
		if !issued.Before(yearStart) {
			f.InvoicedThisYear += invoiced
		}
		if !issued.Before(yearAgo) {
			f.DaysSalesOutstanding += sales // the year's sales, for now
			f.Funnel.add(fn)
		}
		if !issued.Before(monthsFrom) {
			m := (issued.Year()-monthsFrom.Year())*12 + int(issued.Month()-monthsFrom.Month())
			if m < len(f.Monthly) {
				f.Monthly[m].Paid += paid
				f.Monthly[m].Owed += owed
			}
		}
	}
	if err := rows.Err(); err != nil {
		return f, err
	}
	if sales := f.DaysSalesOutstanding; sales > 0 {
		f.DaysSalesOutstanding = f.OpenBalance / sales * 365
	}
	return f, nil
}

// OwedByCustomer is what each customer still owes, by customer id; those
// that owe nothing are absent.
func OwedByCustomer(app core.App) (map[string]float64, error) {
	var rows []struct {
		Customer string  `db:"customer"`
		Owed     float64 `db:"owed"`
	}
	err := app.DB().NewQuery(`SELECT customer, SUM(total - paid_total) AS owed FROM invoices
		WHERE status = 'issued' AND total > paid_total GROUP BY customer`).All(&rows)
	out := make(map[string]float64, len(rows))
	for _, r := range rows {
		out[r.Customer] = r.Owed
	}
	return out, err
}
