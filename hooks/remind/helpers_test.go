package remind_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/remind"
	"facturo/internal/clock"
)

// day parses a YYYY-MM-DD day in a test.
func day(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := remind.ParseDay(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// simInvoice is an issued invoice written straight into the database.
type simInvoice struct {
	id, customer, number string
	due                  time.Time
	total, paid          float64
	status, response     string
}

// insertCustomer writes a customer with a fixed id.
func insertCustomer(t testing.TB, app core.App, id, reminders, days string) {
	t.Helper()
	if days == "" {
		days = "null"
	}
	if _, err := app.DB().NewQuery(`INSERT INTO customers (id, name, email, language, country, payment_terms_days, reminders, reminder_days, email_bouncing, created, updated)
		VALUES ({:id}, {:name}, {:email}, 'es', 'ES', 30, {:reminders}, {:days}, FALSE, '2026-01-01 00:00:00.000Z', '2026-01-01 00:00:00.000Z')`).
		Bind(dbx.Params{"id": id, "name": "Cliente " + id, "email": id + "@customers.example", "reminders": reminders, "days": days}).Execute(); err != nil {
		t.Fatal(err)
	}
}

// insertInvoices writes issued invoices straight into the database, with
// what reminders read.
func insertInvoices(t testing.TB, app core.App, invoices []simInvoice) {
	t.Helper()
	q := app.DB().NewQuery(`INSERT INTO invoices (id, customer, series, number, status, delivery, response, payment, currency,
		issue_date, due_date, subtotal, tax_total, total, paid_total, lines, taxes, created, updated)
		VALUES ({:id}, {:customer}, 'S', {:number}, {:status}, 'delivered', {:response}, {:payment}, 'EUR',
		{:issue}, {:due}, {:total}, 0, {:total}, {:paid}, '[]', '{}', {:issue}, {:issue})`).Prepare()
	defer q.Close()
	for _, inv := range invoices {
		payment := "unpaid"
		switch {
		case inv.paid >= inv.total:
			payment = "paid"
		case inv.paid > 0:
			payment = "partial"
		}
		status, response := inv.status, inv.response
		if status == "" {
			status = "issued"
		}
		if response == "" {
			response = "none"
		}
		if _, err := q.Bind(dbx.Params{
			"id": inv.id, "customer": inv.customer, "number": inv.number, "status": status, "response": response, "payment": payment,
			"issue": inv.due.AddDate(0, 0, -30).Format(time.DateOnly) + " 00:00:00.000Z", "due": inv.due.Format(time.DateOnly) + " 00:00:00.000Z",
			"total": inv.total, "paid": inv.paid,
		}).Execute(); err != nil {
			t.Fatal(err)
		}
	}
}

// sentRow is one row of reminders_sent.
type sentRow struct {
	Invoice string `db:"invoice"`
	Level   int    `db:"level"`
	Status  string `db:"status"`
	Message string `db:"message"`
	SentAt  string `db:"sent_at"`
}

func sentRows(t testing.TB, app core.App) []sentRow {
	t.Helper()
	var rows []sentRow
	if err := app.DB().NewQuery("SELECT invoice, level, status, message, sent_at FROM reminders_sent ORDER BY invoice, level").All(&rows); err != nil {
		t.Fatal(err)
	}
	return rows
}

// count counts a table's rows matching a condition.
func count(t testing.TB, app core.App, table, where string) int {
	t.Helper()
	var n int
	if err := app.DB().NewQuery(fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE %s", table, where)).Row(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// runDay runs the reminders of a day with the clocks on that day's morning.
func runDay(t testing.TB, app core.App, d time.Time) remind.Result {
	t.Helper()
	restore := clock.Set(func() time.Time { return d.Add(9 * time.Hour) })
	defer restore()
	res, err := remind.Run(app, d)
	if err != nil {
		t.Fatalf("run of %s: %v", d.Format(time.DateOnly), err)
	}
	return res
}

// decimalOf is a stored amount as a decimal of cents.
func decimalOf(f float64) decimal.Decimal { return decimal.NewFromFloat(f).Round(2) }
