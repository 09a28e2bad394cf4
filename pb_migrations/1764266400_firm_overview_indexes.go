package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// Indexes for the staff overview over the whole firm, each holding every
// column its query reads, so that SQLite reads the index alone and never
// the invoice rows with their lines:
//   - in issue-date order, for the monthly chart and the funnel, which read
//     a range of dates and group them in the order they are read;
//   - the invoices still owed, by customer, for what is owed, its ageing
//     and the top debtors;
//   - the bounced, the rejected, the queried and the drafts, for the lists
//     of what needs action;
//   - the last change to any invoice, which tells whether the overview
//     must be computed again.
func init() {
	indexes := []struct{ name, columns, where string }{
		{"idx_invoices_firm_overview", "issue_date, status, total, paid_total, delivery, response, opened_at, viewed_at", ""},
		{"idx_invoices_owed", "customer, due_date, total, paid_total", "status = 'issued' AND total > paid_total"},
		{"idx_invoices_bounced", "status", "delivery IN ('bounced', 'failed')"},
		{"idx_invoices_rejected", "status, response_action", "response = 'rejected'"},
		{"idx_invoices_queried", "response_at", "response = 'queried'"},
		{"idx_invoices_drafts", "issue_date", "status = 'draft'"},
		{"idx_invoices_updated", "updated", ""},
	}
	register(func(app core.App) error {
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
