package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// The workspace's daily work on customers and their people: a customer
// that staff archive disappears from the pickers but keeps its history; a
// contact that staff disable can no longer sign in, through the portal or
// REST (the contacts' auth rule refuses it), while its past answers stay.
func init() {
	register(func(app core.App) error {
		customers, err := app.FindCollectionByNameOrId(customerID)
		if err != nil {
			return err
		}
		customers.Fields.Add(&core.BoolField{Name: "archived", Help: "Archived customers are left out of the workspace's pickers and lists; their invoices stay"})
		if err := app.Save(customers); err != nil {
			return err
		}
		contacts, err := app.FindCollectionByNameOrId(contactID)
		if err != nil {
			return err
		}
		contacts.Fields.Add(&core.BoolField{Name: "disabled", Help: "A disabled contact cannot sign in to the portal or REST"})
		contacts.AuthRule = types.Pointer("disabled = false")
		return app.Save(contacts)
	}, func(app core.App) error {
		contacts, err := app.FindCollectionByNameOrId(contactID)
		if err != nil {
			return err
		}
		contacts.AuthRule = types.Pointer("")
		contacts.Fields.RemoveByName("disabled")
		if err := app.Save(contacts); err != nil {
			return err
		}
		return removeFields(app, customerID, "archived")
	})
}
