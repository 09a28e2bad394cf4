package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// The settled invoices again, in the order of their ids, with their
// customers and issue dates: computing every customer's average days to pay
// at once reads them beside the payments' index by invoice, both in the
// same order, instead of looking up each invoice's payments one by one.
func init() {
	const name = "idx_invoices_settled_by_id"
	register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(invoiceID)
		if err != nil {
			return err
		}
		c.AddIndex(name, false, "id, customer, issue_date", "payment = 'paid'")
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(invoiceID)
		if err != nil {
			return err
		}
		c.RemoveIndex(name)
		return app.Save(c)
	})
}
