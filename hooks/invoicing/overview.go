package invoicing

import (
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

// DaysSalesOutstanding is how many days of sales the firm is owed: what is
// owed now over what was invoiced in the last 365 days, times 365. It is 0
// when nothing was invoiced in that year.
func DaysSalesOutstanding(app core.App, today time.Time) (float64, error) {
	var owed, sales float64
	yearAgo := dateTime(civilDate(today).AddDate(-1, 0, 0)).String()
	err := app.DB().NewQuery(`SELECT
		COALESCE(SUM(CASE WHEN status = 'issued' AND total > paid_total THEN total - paid_total END), 0),
		COALESCE(SUM(CASE WHEN issue_date >= {:since} AND total > 0 THEN total END), 0)
		FROM invoices WHERE status != 'draft'`).Bind(dbx.Params{"since": yearAgo}).Row(&owed, &sales)
	if err != nil || sales <= 0 {
		return 0, err
	}
	return owed / sales * 365, nil
}

// Funnel counts how far the invoices issued since a date got with their
// customers. Each stage counts the invoices that reached it or any later
// one: an invoice someone viewed was delivered even when no report said so.
// Opened comes from the tracking pixel, a weak signal that many mail
// programs block or fake.
type Funnel struct {
	Issued, Sent, Delivered, Opened, Viewed int
	Accepted, Rejected, Queried             int
}

// FunnelSince computes the funnel of the invoices issued since the date.
func FunnelSince(app core.App, since time.Time) (Funnel, error) {
	var f Funnel
	err := app.DB().NewQuery(`SELECT COUNT(*),
		COALESCE(SUM(delivery IN ('sent', 'delivered', 'bounced') OR reached), 0),
		COALESCE(SUM(delivery = 'delivered' OR reached), 0),
		COALESCE(SUM(opened_at != '' OR viewed_at != '' OR response != 'none'), 0),
		COALESCE(SUM(viewed_at != '' OR response != 'none'), 0),
		COALESCE(SUM(response = 'accepted'), 0),
		COALESCE(SUM(response = 'rejected'), 0),
		COALESCE(SUM(response = 'queried'), 0)
		FROM (SELECT delivery, opened_at, viewed_at, response,
			(opened_at != '' OR viewed_at != '' OR response != 'none') AS reached
			FROM invoices WHERE status != 'draft' AND issue_date >= {:since})`).
		Bind(dbx.Params{"since": dateTime(civilDate(since)).String()}).
		Row(&f.Issued, &f.Sent, &f.Delivered, &f.Opened, &f.Viewed, &f.Accepted, &f.Rejected, &f.Queried)
	return f, err
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
