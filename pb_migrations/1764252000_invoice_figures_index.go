package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// A covering index for a customer's figures and charts (open balance,
// overdue, per month, ageing): with every column those queries read in the
// index, SQLite answers them from the index alone instead of visiting each
// invoice row, which at a few thousand invoices per customer is most of the
// portal's first screen.
func init() {
	register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(invoiceID)
		if err != nil {
			return err
		}
		c.AddIndex("idx_invoices_customer_figures", false, "customer, status, issue_date, due_date, payment, total, paid_total", "")
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(invoiceID)
		if err != nil {
			return err
		}
		c.RemoveIndex("idx_invoices_customer_figures")
		return app.Save(c)
	})
}
