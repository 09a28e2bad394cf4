package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// The invoices issued and never e-mailed are a list of what needs action
// in the workspace; this index finds them without reading the others.
func init() {
	register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(invoiceID)
		if err != nil {
			return err
		}
		c.AddIndex("idx_invoices_unsent", false, "status", "delivery = 'not_sent'")
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(invoiceID)
		if err != nil {
			return err
		}
		c.RemoveIndex("idx_invoices_unsent")
		return app.Save(c)
	})
}
