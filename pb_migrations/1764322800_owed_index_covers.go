package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// The index of the invoices still owed also holds their id and issue date,
// which every query of what is owed reads (OpenInvoicesSQL): without them
// SQLite read each open invoice's row, with its lines, to find two values,
// and computing every customer's figures at once read the invoices table
// three times over.
func init() {
	const name = "idx_invoices_owed"
	const where = "status = 'issued' AND total > paid_total"
	register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(invoiceID)
		if err != nil {
			return err
		}
		c.AddIndex(name, false, "customer, due_date, total, paid_total, issue_date, id", where)
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(invoiceID)
		if err != nil {
			return err
		}
		c.AddIndex(name, false, "customer, due_date, total, paid_total", where)
		return app.Save(c)
	})
}
