package invoicing

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// DeleteCustomer deletes a customer that was never invoiced, with its
// drafts and its contacts. One with issued invoices is refused: the law
// keeps its invoices, and they point at it; archive it instead (it then
// leaves the pickers and lists, and its history stays).
func DeleteCustomer(app core.App, customerID string) error {
	return app.RunInTransaction(func(tx core.App) error {
		customer, err := tx.FindRecordById(Customers, customerID)
		if err != nil {
			return apis.NewNotFoundError("No customer with id "+customerID+".", nil)
		}
		issued, err := tx.CountRecords(Invoices, dbx.HashExp{"customer": customer.Id}, dbx.Not(dbx.HashExp{"status": StatusDraft}))
		if err != nil {
			return err
		}
		if issued > 0 {
			return &CustomerInvoicedError{Name: customer.GetString("name"), Issued: int(issued)}
		}
		drafts, err := tx.FindAllRecords(Invoices, dbx.HashExp{"customer": customer.Id})
		if err != nil {
			return err
		}
		for _, d := range drafts {
			if err := tx.Delete(d); err != nil {
				return err
			}
		}
		return tx.Delete(customer)
	})
}

// CustomerInvoicedError is the refusal to delete a customer that has
// issued invoices; Issued counts them.
type CustomerInvoicedError struct {
	Name   string
	Issued int
}

func (e *CustomerInvoicedError) Error() string {
	return "customer " + e.Name + " has issued invoices, which the law keeps and which name it: archive it instead"
}
