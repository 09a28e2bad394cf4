package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Indexes for the staff overview over the whole firm:
//   - a covering index, in issue-date order, of every column the overview's
//     single pass reads, so that it reads the index alone and groups days
//     in the order it reads them, never the invoice rows with their lines;
//   - the invoices still owed, by customer, for the top debtors;
//   - the invoices queried, for the queries not answered yet;
//   - the last change to any invoice, which tells whether the overview
//     must be computed again.
func init() {
	indexes := []struct{ name, columns, where string }{
		{"idx_invoices_firm_overview", "issue_date, status, due_date, total, paid_total, delivery, response, response_action, opened_at, viewed_at", ""},
		{"idx_invoices_owed", "customer, due_date, total, paid_total", "status = 'issued' AND total > paid_total"},
		{"idx_invoices_queried", "response_at", "response = 'queried'"},
		{"idx_invoices_updated", "updated", ""},
	}
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(invoiceID)
		if err != nil {
			return err
		}
		for _, ix := range indexes {
			c.AddIndex(ix.name, false, ix.columns, ix.where)
		}
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(invoiceID)
		if err != nil {
			return err
		}
		for _, ix := range indexes {
			c.RemoveIndex(ix.name)
		}
		return app.Save(c)
	})
}
