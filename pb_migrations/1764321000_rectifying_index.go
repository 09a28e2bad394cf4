package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// An index of the facturas rectificativas by the invoice each corrects, so
// that what a corrected invoice and its corrections still owe together is
// found without reading every invoice: there are few of them.
func init() {
	const name = "idx_invoices_rectifying"
	register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(invoiceID)
		if err != nil {
			return err
		}
		c.AddIndex(name, false, "rectifies, status, total, paid_total", "rectifies != ''")
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
