package invoicing

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Summary is a customer's standing with the firm. What is owed is as
// OpenInvoicesSQL defines it: a rectified invoice and its facturas
// rectificativas owe what is left of them together, credits owe nothing. A
// voided invoice counts nowhere: it was issued by mistake.
type Summary struct {
	OpenBalance      float64 // still owed on issued invoices
	Overdue          float64 // of which past its due date
	InvoicedThisYear float64
	AverageDaysToPay float64 // from issue to the last payment, over settled invoices; 0 when none
	Settled          int     // settled invoices behind the average
}

// MonthTotal is what was invoiced in one month, split into paid and still owed.
type MonthTotal struct {
	Month      time.Time // the first day
	Paid, Owed float64
}

// Ageing is what is still owed, by how late it is.
type Ageing struct {
	NotDue, Days1to30, Days31to60, Days61to90, Over90 float64
}

// Summarize computes a customer's standing as of today.
func Summarize(app core.App, customerID string, today time.Time) (Summary, error) {
	var s Summary
	day := dateTime(civilDate(today)).String()
	yearStart := dateTime(time.Date(today.Year(), 1, 1, 0, 0, 0, 0, time.UTC)).String()
	err := app.DB().NewQuery(`SELECT
		(SELECT COALESCE(SUM(owed), 0) FROM (`+OpenInvoicesSQL("o.customer = {:customer}")+`)) AS open_balance,
		(SELECT COALESCE(SUM(owed), 0) FROM (`+OpenInvoicesSQL("o.customer = {:customer} AND o.due_date < {:today}")+`)) AS overdue,
		(SELECT COALESCE(SUM(CASE WHEN issue_date >= {:year} THEN total END), 0)
			FROM invoices WHERE customer = {:customer} AND status NOT IN ('draft', 'voided')) AS this_year`).
		Bind(dbx.Params{"customer": customerID, "today": day, "year": yearStart}).
		Row(&s.OpenBalance, &s.Overdue, &s.InvoicedThisYear)
	if err != nil {
		return s, err
	}
	// The last payment of each settled invoice, found through the payments'
	// index by invoice: grouping the whole payments table first read every
	// customer's payments for each customer's screen.
	var avg *float64
	err = app.DB().NewQuery(`WITH settled AS MATERIALIZED (
			SELECT i.issue_date, (SELECT MAX(p.paid_on) FROM payments p INDEXED BY idx_payments_invoice_paid_on WHERE p.invoice = i.id) AS last
			FROM invoices i INDEXED BY idx_invoices_customer_settled WHERE i.customer = {:customer} AND i.payment = 'paid')
		SELECT AVG(julianday(substr(last, 1, 10)) - julianday(substr(issue_date, 1, 10))), COUNT(last) FROM settled`).
		Bind(dbx.Params{"customer": customerID}).Row(&avg, &s.Settled)
	if avg != nil {
		s.AverageDaysToPay = *avg
	}
	return s, err
}

// MonthlyTotals is what a customer was invoiced in each of the last months
// (the current one included), oldest first, months without invoices as zero.
func MonthlyTotals(app core.App, customerID string, months int, today time.Time) ([]MonthTotal, error) {
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -(months - 1), 0)
	out := make([]MonthTotal, months)
	index := map[string]int{}
	for i := range out {
		out[i].Month = first.AddDate(0, i, 0)
		index[out[i].Month.Format("2006-01")] = i
	}
	var rows []struct {
		Month string  `db:"month"`
		Paid  float64 `db:"paid"`
		Owed  float64 `db:"owed"`
	}
	err := app.DB().NewQuery(`SELECT substr(issue_date, 1, 7) AS month,
		COALESCE(SUM(CASE WHEN total > 0 THEN MIN(paid_total, total) END), 0) AS paid, 0 AS owed
		FROM invoices INDEXED BY idx_invoices_customer_figures
		WHERE customer = {:customer} AND status NOT IN ('draft', 'voided') AND issue_date >= {:from}
		GROUP BY month
		UNION ALL
		SELECT substr(issue_date, 1, 7) AS month, 0 AS paid, SUM(owed) AS owed
		FROM (` + OpenInvoicesSQL("o.customer = {:customer}") + `) WHERE issue_date >= {:from}
		GROUP BY month`).Bind(dbx.Params{"customer": customerID, "from": dateTime(first).String()}).All(&rows)
	for _, r := range rows {
		if i, ok := index[r.Month]; ok {
			out[i].Paid += r.Paid
			out[i].Owed += r.Owed
		}
	}
	return out, err
}

// AgeingOf splits what a customer still owes by days past the due date.
func AgeingOf(app core.App, customerID string, today time.Time) (Ageing, error) {
	var a Ageing
	err := app.DB().NewQuery(`SELECT
		COALESCE(SUM(CASE WHEN late <= 0 THEN owed END), 0),
		COALESCE(SUM(CASE WHEN late BETWEEN 1 AND 30 THEN owed END), 0),
		COALESCE(SUM(CASE WHEN late BETWEEN 31 AND 60 THEN owed END), 0),
		COALESCE(SUM(CASE WHEN late BETWEEN 61 AND 90 THEN owed END), 0),
		COALESCE(SUM(CASE WHEN late > 90 THEN owed END), 0)
		FROM (SELECT owed, CAST(julianday({:today}) - julianday(substr(due_date, 1, 10)) AS INTEGER) AS late
			FROM (`+OpenInvoicesSQL("o.customer = {:customer}")+`))`).
		Bind(dbx.Params{"customer": customerID, "today": civilDate(today).Format(time.DateOnly)}).
		Row(&a.NotDue, &a.Days1to30, &a.Days31to60, &a.Days61to90, &a.Over90)
	return a, err
}
