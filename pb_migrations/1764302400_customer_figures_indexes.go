package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// Indexes for the portal's first screen, which keeps each customer's
// figures until one of its invoices changes:
//   - when one of the customer's invoices last changed, in one seek;
//   - its settled invoices with their issue dates, and each payment's day
//     by invoice, so that the average days to pay reads two indexes and no
//     invoice or payment rows (an invoice's row carries its lines).
func init() {
	invoiceIndexes := []struct{ name, columns, where string }{
		{"idx_invoices_customer_updated", "customer, updated", ""},
		{"idx_invoices_customer_settled", "customer, issue_date, id", "payment = 'paid'"},
	}
	register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(invoiceID)
		if err != nil {
			return err
		}
		for _, ix := range invoiceIndexes {
			c.AddIndex(ix.name, false, ix.columns, ix.where)
		}
		if err := app.Save(c); err != nil {
			return err
		}
		p, err := app.FindCollectionByNameOrId(paymentID)
		if err != nil {
			return err
		}
		p.AddIndex("idx_payments_invoice_paid_on", false, "invoice, paid_on", "")
		return app.Save(p)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId(invoiceID)
		if err != nil {
			return err
		}
		for _, ix := range invoiceIndexes {
			c.RemoveIndex(ix.name)
		}
		if err := app.Save(c); err != nil {
			return err
		}
		p, err := app.FindCollectionByNameOrId(paymentID)
		if err != nil {
			return err
		}
		p.RemoveIndex("idx_payments_invoice_paid_on")
		return app.Save(p)
	})
}
