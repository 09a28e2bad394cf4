package invoicing

import (
	"slices"
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
	NotDue     float64 `db:"not_due"`
	Days1to30  float64 `db:"days1to30"`
	Days31to60 float64 `db:"days31to60"`
	Days61to90 float64 `db:"days61to90"`
	Over90     float64 `db:"over90"`
}

// scope is whose figures a query computes: one customer's, read through
// the indexes on the customer, or every customer's at once, in one pass over
// the invoices (the first screens of a day, see FiguresOf).
type scope struct {
	customer string // "" for every customer
}

// where is the condition on an invoice aliased alias.
func (s scope) where(alias string) string {
	if s.customer == "" {
		return "1"
	}
	return alias + ".customer = {:customer}"
}

// open is the condition OpenInvoicesSQL takes.
func (s scope) open() string {
	if s.customer == "" {
		return ""
	}
	return "o.customer = {:customer}"
}

// indexed names the index SQLite reads the invoices through: for one
// customer, the planner's own choice read whole tables; for every
// customer, the index holds what the query reads in far fewer pages than
// the invoices themselves.
func (s scope) indexed(index string) string {
	return "INDEXED BY " + index
}

// lastPayments is a query of the scope's settled invoices (payment 'paid')
// with the columns customer, issue_date and last, the day of the invoice's
// last payment (NULL when none was recorded), one row for each invoice.
//
// For one customer, each of its settled invoices' payments are found
// through the payments' index by invoice. For every customer, looking them
// up one by one took most of the pass over the invoices (about 170,000
// seeks at the benchmark's scale); instead the settled invoices, through
// their index by id, and the payments, through theirs by invoice, are read
// once each, merged in the order of the invoice ids, and grouped by
// invoice without a sort. A payment of an invoice not settled has no
// invoice in its group, and the group is dropped.
func (s scope) lastPayments() string {
	if s.customer != "" {
		return `SELECT i.customer, i.issue_date, MAX(p.paid_on) AS last
			FROM invoices i INDEXED BY idx_invoices_customer_settled
			LEFT JOIN payments p INDEXED BY idx_payments_invoice_paid_on ON p.invoice = i.id
			WHERE i.customer = {:customer} AND i.payment = 'paid' GROUP BY i.id`
	}
	return `SELECT MAX(customer) AS customer, MAX(issue_date) AS issue_date, MAX(paid_on) AS last FROM (
			SELECT id, customer, issue_date, NULL AS paid_on FROM invoices INDEXED BY idx_invoices_settled_by_id WHERE payment = 'paid'
			UNION ALL
			SELECT invoice, NULL, NULL, paid_on FROM payments INDEXED BY idx_payments_invoice_paid_on
			ORDER BY 1)
		GROUP BY id HAVING MAX(customer) IS NOT NULL`
}

func (s scope) params(p dbx.Params) dbx.Params {
	p["customer"] = s.customer
	return p
}

// Summarize computes a customer's standing as of today.
func Summarize(app core.App, customerID string, today time.Time) (Summary, error) {
	all, err := summaries(app, scope{customerID}, today)
	return all[customerID], err
}

// summaries is the standing of the scope's customers that have issued
// invoices, by customer.
func summaries(app core.App, s scope, today time.Time) (map[string]Summary, error) {
	out := map[string]Summary{}
	var owed []struct {
		Customer string  `db:"customer"`
		Open     float64 `db:"open"`
		Overdue  float64 `db:"overdue"`
	}
	err := app.DB().NewQuery(`SELECT customer, SUM(owed) AS open, COALESCE(SUM(CASE WHEN due_date < {:today} THEN owed END), 0) AS overdue
		FROM (` + OpenInvoicesSQL(s.open()) + `) GROUP BY customer`).
		Bind(s.params(dbx.Params{"today": dateTime(civilDate(today)).String()})).All(&owed)
	if err != nil {
		return out, err
	}
	for _, r := range owed {
		sum := out[r.Customer]
		sum.OpenBalance, sum.Overdue = r.Open, r.Overdue
		out[r.Customer] = sum
	}
	var invoiced []struct {
		Customer string  `db:"customer"`
		ThisYear float64 `db:"this_year"`
	}
	err = app.DB().NewQuery(`SELECT i.customer, COALESCE(SUM(CASE WHEN i.issue_date >= {:year} THEN i.total END), 0) AS this_year
		FROM invoices i ` + s.indexed("idx_invoices_customer_figures") + `
		WHERE ` + s.where("i") + ` AND i.status NOT IN ('draft', 'voided') GROUP BY i.customer`).
		Bind(s.params(dbx.Params{"year": dateTime(time.Date(today.Year(), 1, 1, 0, 0, 0, 0, time.UTC)).String()})).All(&invoiced)
	if err != nil {
		return out, err
	}
	for _, r := range invoiced {
		sum := out[r.Customer]
		sum.InvoicedThisYear = r.ThisYear
		out[r.Customer] = sum
	}
	// Days to pay, from the issue to the last payment, over the settled
	// invoices with a payment recorded.
	var settled []struct {
		Customer string   `db:"customer"`
		Average  *float64 `db:"average"`
		Settled  int      `db:"settled"`
	}
	err = app.DB().NewQuery(`SELECT customer, AVG(julianday(substr(last, 1, 10)) - julianday(substr(issue_date, 1, 10))) AS average, COUNT(last) AS settled
		FROM (` + s.lastPayments() + `) GROUP BY customer`).Bind(s.params(dbx.Params{})).All(&settled)
	for _, r := range settled {
		sum := out[r.Customer]
		if r.Average != nil {
			sum.AverageDaysToPay = *r.Average
		}
		sum.Settled = r.Settled
		out[r.Customer] = sum
	}
	return out, err
}

// MonthlyTotals is what a customer was invoiced in each of the last months
// (the current one included), oldest first, months without invoices as zero.
func MonthlyTotals(app core.App, customerID string, months int, today time.Time) ([]MonthTotal, error) {
	all, err := monthlyTotals(app, scope{customerID}, months, today)
	if m, ok := all[customerID]; ok {
		return m, err
	}
	return emptyMonths(months, today), err
}

// emptyMonths is the last months up to today's, with nothing in them.
func emptyMonths(months int, today time.Time) []MonthTotal {
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -(months - 1), 0)
	out := make([]MonthTotal, months)
	for i := range out {
		out[i].Month = first.AddDate(0, i, 0)
	}
	return out
}

// monthlyTotals is MonthlyTotals of the scope's customers that have issued
// invoices in those months, by customer.
func monthlyTotals(app core.App, s scope, months int, today time.Time) (map[string][]MonthTotal, error) {
	empty := emptyMonths(months, today)
	index := map[string]int{}
	for i, m := range empty {
		index[m.Month.Format("2006-01")] = i
	}
	var rows []struct {
		Customer string  `db:"customer"`
		Month    string  `db:"month"`
		Paid     float64 `db:"paid"`
		Owed     float64 `db:"owed"`
	}
	err := app.DB().NewQuery(`SELECT i.customer AS customer, substr(i.issue_date, 1, 7) AS month,
		COALESCE(SUM(CASE WHEN i.total > 0 THEN MIN(i.paid_total, i.total) END), 0) AS paid, 0 AS owed
		FROM invoices i ` + s.indexed("idx_invoices_customer_figures") + `
		WHERE ` + s.where("i") + ` AND i.status NOT IN ('draft', 'voided') AND i.issue_date >= {:from}
		GROUP BY i.customer, month
		UNION ALL
		SELECT customer, substr(issue_date, 1, 7) AS month, 0 AS paid, SUM(owed) AS owed
		FROM (` + OpenInvoicesSQL(s.open()) + `) WHERE issue_date >= {:from}
		GROUP BY customer, month`).Bind(s.params(dbx.Params{"from": dateTime(empty[0].Month).String()})).All(&rows)
	out := map[string][]MonthTotal{}
	for _, r := range rows {
		i, ok := index[r.Month]
		if !ok {
			continue
		}
		m, ok := out[r.Customer]
		if !ok {
			m = slices.Clone(empty)
			out[r.Customer] = m
		}
		m[i].Paid += r.Paid
		m[i].Owed += r.Owed
	}
	return out, err
}

// AgeingOf splits what a customer still owes by days past the due date.
func AgeingOf(app core.App, customerID string, today time.Time) (Ageing, error) {
	all, err := ageings(app, scope{customerID}, today)
	return all[customerID], err
}

// ageings is AgeingOf the scope's customers that owe something, by customer.
func ageings(app core.App, s scope, today time.Time) (map[string]Ageing, error) {
	var rows []struct {
		Customer string `db:"customer"`
		Ageing
	}
	err := app.DB().NewQuery(`SELECT customer,
		COALESCE(SUM(CASE WHEN late <= 0 THEN owed END), 0) AS not_due,
		COALESCE(SUM(CASE WHEN late BETWEEN 1 AND 30 THEN owed END), 0) AS days1to30,
		COALESCE(SUM(CASE WHEN late BETWEEN 31 AND 60 THEN owed END), 0) AS days31to60,
		COALESCE(SUM(CASE WHEN late BETWEEN 61 AND 90 THEN owed END), 0) AS days61to90,
		COALESCE(SUM(CASE WHEN late > 90 THEN owed END), 0) AS over90
		FROM (SELECT customer, owed, CAST(julianday({:today}) - julianday(substr(due_date, 1, 10)) AS INTEGER) AS late
			FROM (` + OpenInvoicesSQL(s.open()) + `))
		GROUP BY customer`).
		Bind(s.params(dbx.Params{"today": civilDate(today).Format(time.DateOnly)})).All(&rows)
	out := make(map[string]Ageing, len(rows))
	for _, r := range rows {
		out[r.Customer] = r.Ageing
	}
	return out, err
}
